//! # AICF Attestation Pallet
//!
//! Verifies the runtime evidence of compute providers on chain, against vendor roots pinned in
//! storage, and hands the result to the provider registry.
//!
//! ## Overview
//!
//! - **Pinned roots** ([`VendorRoots`]): the Intel SGX root CA, AMD ARKs, Arm CCA platform
//!   keys and quantum facility roots, keyed by kind and SHA-256 of their DER. Only
//!   [`Config::GovernanceOrigin`] adds or removes them; genesis seeds them.
//! - **Network policy** ([`NetworkPolicy`]): allowed measurements, accepted TCB statuses,
//!   debug, maximum evidence age, SEV-SNP policy bits and minimum TCB, accepted trap families.
//!   Set by governance.
//! - **DCAP collateral** ([`DcapCollateral`]): anyone uploads Intel collateral (TCB info, QE
//!   identity, CRLs); it is verified against a pinned Intel root when uploaded and stored in
//!   the compact form quote checks use, so a quote costs three signature checks. Collateral is
//!   replaced only by newer collateral for the same TEE, FMSPC and PCK CA.
//! - **Submission** ([`Pallet::submit_attestation`]): the provider's controller submits
//!   evidence; it is verified at the chain's time with `aicf-attestation-verify`, must bind the
//!   provider (report data starting with [`aicf_attestation_verify::provider_binding`] of its
//!   id), and the resulting [`AttestationRecord`] (SHA3-256 of the evidence, kind,
//!   measurement, block, version, expiry) goes to the registry through
//!   [`AttestationSink`], which re-evaluates eligibility in the same call.
//! - **Expiry and policy changes**: a record expires at the earliest of the evidence's own
//!   validity (certificates, collateral) and [`Config::MaxValidityBlocks`]. After a policy
//!   change, anyone may call [`Pallet::revalidate`] on a provider whose stored attestation no
//!   longer satisfies the policy: its attestation is revoked (free of charge when it was).
//!
//! Evidence formats per [`EvidenceKind`]:
//! - `SgxDcap` / `TdxDcap`: the quote bytes (collateral for its FMSPC must be on chain);
//! - `SevSnp`: the 1184-byte report, then the VCEK and ASK certificates, DER
//!   (`cat report.bin vcek.der ask.der`);
//! - `Cca`: the CCA token (CBOR tag 399);
//! - `Quantum`: the facility identity certificate chain, DER certificates concatenated, leaf
//!   first.
//!
//! Every failure has its own error and changes nothing; sizes are bounded by the call types.

#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(test, allow(clippy::arithmetic_side_effects, clippy::indexing_slicing))]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
mod types;
pub mod vendor_roots;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

use aicf_attestation_verify::{self as verify, AttestationError};
use aicf_primitives::{
	traits::{AttestationRecord, AttestationSink, EvidenceKind, ProviderControllers},
	ProviderId,
};
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, traits::UnixTime};
use frame_system::pallet_prelude::*;
use sp_runtime::traits::{Saturating, Zero};

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	/// The in-code storage version.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The provider registry: who controls a provider, and where results go.
		type Registry: AttestationSink<BlockNumberFor<Self>> + ProviderControllers<Self::AccountId>;

		/// Chain time (pallet-timestamp): evidence is verified at this time.
		type UnixTime: UnixTime;

		/// Origin allowed to change roots and policy and to revoke attestations.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Longest evidence accepted, in bytes.
		#[pallet::constant]
		type MaxEvidenceLen: Get<u32>;

		/// Longest DCAP collateral upload accepted, in bytes.
		#[pallet::constant]
		type MaxCollateralLen: Get<u32>;

		/// Longest pinned root (DER certificate or public key), in bytes.
		#[pallet::constant]
		type MaxRootLen: Get<u32>;

		/// Most roots pinned per kind.
		#[pallet::constant]
		type MaxRootsPerKind: Get<u32>;

		/// Most measurements in the policy's allowlist.
		#[pallet::constant]
		type MaxMeasurements: Get<u32>;

		/// Most trap families in the policy.
		#[pallet::constant]
		type MaxTrapFamilies: Get<u32>;

		/// Expected seconds per block, to turn the evidence's validity into blocks.
		#[pallet::constant]
		type BlockTimeSecs: Get<u64>;

		/// An attestation counts for at most this many blocks, however long its evidence is
		/// valid.
		#[pallet::constant]
		type MaxValidityBlocks: Get<BlockNumberFor<Self>>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Benchmark setup hooks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// Pinned roots by kind and SHA-256 of their DER encoding.
	#[pallet::storage]
	pub type VendorRoots<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		RootKind,
		Identity,
		[u8; 32],
		BoundedVec<u8, T::MaxRootLen>,
		OptionQuery,
	>;

	/// Number of roots pinned per kind.
	#[pallet::storage]
	pub type RootCount<T: Config> = StorageMap<_, Twox64Concat, RootKind, u32, ValueQuery>;

	/// The network's attestation policy.
	#[pallet::storage]
	pub type NetworkPolicy<T: Config> = StorageValue<_, PolicyOf<T>, ValueQuery>;

	/// Verified DCAP collateral by TEE, FMSPC and PCK CA.
	#[pallet::storage]
	pub type DcapCollateral<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		verify::dcap::CollateralKey,
		verify::dcap::VerifiedCollateral,
		OptionQuery,
	>;

	/// The latest accepted attestation of each provider, as verified.
	#[pallet::storage]
	pub type Attestations<T: Config> =
		StorageMap<_, Blake2_128Concat, ProviderId, StoredAttestationOf<T>, OptionQuery>;

	/// Genesis: pinned roots. The policy starts at its default (TCB UpToDate only, debug
	/// refused, any measurement).
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Roots to pin, PEM or DER.
		pub roots: Vec<(RootKind, Vec<u8>)>,
		#[serde(skip)]
		#[allow(missing_docs)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (kind, bytes) in &self.roots {
				if let Err(e) = Pallet::<T>::do_add_root(*kind, bytes) {
					panic!("genesis root of kind {kind:?} rejected: {e:?}");
				}
			}
		}
	}

	/// Events.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A root was pinned.
		RootAdded {
			/// Its kind.
			kind: RootKind,
			/// SHA-256 of its DER.
			hash: [u8; 32],
		},
		/// A root was removed.
		RootRemoved {
			/// Its kind.
			kind: RootKind,
			/// SHA-256 of its DER.
			hash: [u8; 32],
		},
		/// Governance replaced the policy.
		PolicySet,
		/// DCAP collateral was verified and stored.
		CollateralStored {
			/// TEE, FMSPC and PCK CA it serves.
			key: verify::dcap::CollateralKey,
			/// Its issue time, Unix seconds.
			issued_at: u64,
			/// Its last valid second.
			not_after: u64,
		},
		/// Evidence was verified and handed to the registry.
		AttestationAccepted {
			/// The provider.
			provider: ProviderId,
			/// Evidence kind.
			kind: EvidenceKind,
			/// SHA3-256 of the evidence.
			hash: [u8; 32],
			/// Attested measurement (zero-padded).
			measurement: [u8; 48],
			/// The record's version.
			version: u32,
			/// Block after which it no longer counts.
			expires_at: BlockNumberFor<T>,
		},
		/// A provider's attestation was revoked.
		AttestationRevoked {
			/// The provider.
			provider: ProviderId,
			/// Why.
			reason: RevocationReason,
		},
	}

	/// Errors. Each verification failure has its own; a failed call changes nothing.
	#[pallet::error]
	pub enum Error<T> {
		/// No such (live) provider.
		UnknownProvider,
		/// The caller is not the provider's controller.
		NotController,
		/// The root is not a single well-formed DER value (or PEM block).
		MalformedRoot,
		/// The root is longer than `MaxRootLen`.
		RootTooLong,
		/// This root is already pinned.
		RootAlreadyPinned,
		/// `MaxRootsPerKind` roots of this kind are pinned.
		TooManyRoots,
		/// No such pinned root.
		UnknownRoot,
		/// No root of the kind the evidence needs is pinned.
		NoPinnedRoot,
		/// No verified collateral on chain for this quote's TEE, FMSPC and PCK CA.
		CollateralMissing,
		/// Stored collateral for the same key is as new or newer.
		CollateralNotNewer,
		/// The evidence (or collateral) is malformed.
		MalformedEvidence,
		/// The evidence's version or type is not supported.
		UnsupportedEvidence,
		/// The certificate chain does not lead to a pinned root.
		UntrustedChain,
		/// A signature in the evidence or collateral does not verify.
		BadEvidenceSignature,
		/// A certificate or the collateral has expired.
		EvidenceExpired,
		/// A certificate or the collateral is not valid yet.
		EvidenceNotYetValid,
		/// A certificate is revoked.
		CertificateRevoked,
		/// The platform's TCB status is not accepted by the policy.
		TcbStatusRejected,
		/// The measurement is not in the policy's allowlist.
		MeasurementNotAllowed,
		/// A required policy bit is missing or a forbidden one is set.
		PolicyBitRejected,
		/// Debug mode is refused by the policy.
		DebugRefused,
		/// The report data does not bind this provider.
		ReportDataMismatch,
		/// The evidence is older than the policy allows.
		EvidenceTooOld,
		/// The collateral does not match the quote.
		CollateralMismatch,
		/// The facility supports none of the accepted trap families.
		NoAcceptedTrapFamily,
		/// The provider has no attestation here.
		NoAttestation,
		/// The attestation still satisfies the policy and has not expired.
		StillValid,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Pin a root of `kind` (DER or PEM).
		///
		/// Origin: [`Config::GovernanceOrigin`]. Errors: [`Error::MalformedRoot`],
		/// [`Error::RootTooLong`], [`Error::RootAlreadyPinned`], [`Error::TooManyRoots`].
		/// Events: [`Event::RootAdded`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_root())]
		pub fn add_root(
			origin: OriginFor<T>,
			kind: RootKind,
			root: BoundedVec<u8, ConstU32<MAX_ROOT_INPUT>>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_add_root(kind, &root)
		}

		/// Remove a pinned root. Attestations verified under it stay until they expire or
		/// governance revokes them.
		///
		/// Origin: [`Config::GovernanceOrigin`]. Errors: [`Error::UnknownRoot`]. Events:
		/// [`Event::RootRemoved`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_root())]
		pub fn remove_root(origin: OriginFor<T>, kind: RootKind, hash: [u8; 32]) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(VendorRoots::<T>::contains_key(kind, hash), Error::<T>::UnknownRoot);
			VendorRoots::<T>::remove(kind, hash);
			RootCount::<T>::mutate(kind, |n| *n = n.saturating_sub(1));
			Self::deposit_event(Event::RootRemoved { kind, hash });
			Ok(())
		}

		/// Replace the network's policy. Existing attestations that no longer satisfy it can
		/// be revoked by anyone with [`Pallet::revalidate`].
		///
		/// Origin: [`Config::GovernanceOrigin`]. Events: [`Event::PolicySet`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_policy())]
		pub fn set_policy(origin: OriginFor<T>, policy: PolicyOf<T>) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			NetworkPolicy::<T>::put(policy);
			Self::deposit_event(Event::PolicySet);
			Ok(())
		}

		/// Upload Intel DCAP collateral (dcap-qvl `QuoteCollateralV3`, JSON or SCALE). It is
		/// verified against a pinned Intel root now and stored for quotes of its TEE, FMSPC and
		/// PCK CA, replacing older collateral for the same key.
		///
		/// Origin: signed, anyone. Errors: [`Error::NoPinnedRoot`],
		/// [`Error::CollateralNotNewer`] and the verification errors
		/// ([`Error::MalformedEvidence`], [`Error::UntrustedChain`],
		/// [`Error::BadEvidenceSignature`], [`Error::EvidenceExpired`],
		/// [`Error::EvidenceNotYetValid`], [`Error::CertificateRevoked`],
		/// [`Error::UnsupportedEvidence`]). Events: [`Event::CollateralStored`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::upload_collateral())]
		pub fn upload_collateral(
			origin: OriginFor<T>,
			collateral: BoundedVec<u8, T::MaxCollateralLen>,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_upload_collateral(&collateral)
		}

		/// Submit evidence for `provider`; on success the registry records the attestation and
		/// re-evaluates eligibility.
		///
		/// Origin: the provider's controller. Errors: [`Error::UnknownProvider`],
		/// [`Error::NotController`], [`Error::NoPinnedRoot`], [`Error::CollateralMissing`],
		/// every verification error, and the registry's. Events:
		/// [`Event::AttestationAccepted`].
		#[pallet::call_index(4)]
		#[pallet::weight(Pallet::<T>::submit_weight(*kind))]
		pub fn submit_attestation(
			origin: OriginFor<T>,
			provider: ProviderId,
			kind: EvidenceKind,
			evidence: BoundedVec<u8, T::MaxEvidenceLen>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let controller =
				T::Registry::controller(&provider).ok_or(Error::<T>::UnknownProvider)?;
			ensure!(controller == who, Error::<T>::NotController);
			let now = Self::now_secs();
			let binding = verify::provider_binding(&provider.0);
			let verified = Self::verify_evidence(kind, &evidence, &binding, now)?;
			Self::record(provider, kind, &evidence, &verified, now)
		}

		/// Revoke `provider`'s attestation if it no longer satisfies the current policy (or has
		/// expired). Anyone may call it; it is free when it revokes and fails (fee paid)
		/// otherwise.
		///
		/// Origin: signed. Errors: [`Error::NoAttestation`], [`Error::StillValid`]. Events:
		/// [`Event::AttestationRevoked`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::revalidate())]
		pub fn revalidate(
			origin: OriginFor<T>,
			provider: ProviderId,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let stored = Attestations::<T>::get(provider).ok_or(Error::<T>::NoAttestation)?;
			let now_block = frame_system::Pallet::<T>::block_number();
			let reason = if now_block >= stored.expires_at {
				RevocationReason::Expired
			} else if Self::check_stored(&stored, Self::now_secs()).is_err() {
				RevocationReason::PolicyChanged
			} else {
				return Err(Error::<T>::StillValid.into());
			};
			Self::revoke(provider, reason)?;
			Ok(Pays::No.into())
		}

		/// Revoke `provider`'s attestation (for example after a root was found compromised).
		///
		/// Origin: [`Config::GovernanceOrigin`]. Errors: [`Error::NoAttestation`]. Events:
		/// [`Event::AttestationRevoked`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::revalidate())]
		pub fn force_revoke(origin: OriginFor<T>, provider: ProviderId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(Attestations::<T>::contains_key(provider), Error::<T>::NoAttestation);
			Self::revoke(provider, RevocationReason::Governance)
		}
	}
}

/// Longest root input (PEM or DER) `add_root` takes; the stored DER is bounded by
/// `MaxRootLen`.
pub const MAX_ROOT_INPUT: u32 = 8 * 1024;

/// Benchmark setup the runtime provides.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// Set chain time to `unix_secs` (fixtures are valid only inside their windows).
	fn set_time(unix_secs: u64);
	/// A provider the registry knows, with a controller, whose attestation is the registry's
	/// most expensive hand-over (in the runtime: it turns ACTIVE, every index entry written).
	fn registered_provider() -> ProviderId;
}

/// Borrowed views of owned roots, as the verifier takes them.
fn refs(roots: &[Vec<u8>]) -> Vec<&[u8]> {
	roots.iter().map(|r| r.as_slice()).collect()
}

impl<T: Config> Pallet<T> {
	fn now_secs() -> u64 {
		T::UnixTime::now().as_secs()
	}

	/// Weight of `submit_attestation` for `kind`: verification plus recording.
	pub fn submit_weight(kind: EvidenceKind) -> Weight {
		let verify = match kind {
			EvidenceKind::SgxDcap => T::WeightInfo::verify_sgx(),
			EvidenceKind::TdxDcap => T::WeightInfo::verify_tdx(),
			EvidenceKind::SevSnp => T::WeightInfo::verify_sev_snp(),
			EvidenceKind::Cca => T::WeightInfo::verify_cca(),
			EvidenceKind::Quantum => T::WeightInfo::verify_quantum(),
		};
		verify.saturating_add(T::WeightInfo::record_attestation())
	}

	pub(crate) fn do_add_root(kind: RootKind, input: &[u8]) -> DispatchResult {
		let der = verify::to_der(input).map_err(|_| Error::<T>::MalformedRoot)?;
		match verify::split_der(&der) {
			Ok(values) if values.len() == 1 => {},
			_ => return Err(Error::<T>::MalformedRoot.into()),
		}
		let hash = sp_io::hashing::sha2_256(&der);
		let bounded: BoundedVec<u8, T::MaxRootLen> =
			der.try_into().map_err(|_| Error::<T>::RootTooLong)?;
		ensure!(!VendorRoots::<T>::contains_key(kind, hash), Error::<T>::RootAlreadyPinned);
		let count = RootCount::<T>::get(kind);
		ensure!(count < T::MaxRootsPerKind::get(), Error::<T>::TooManyRoots);
		VendorRoots::<T>::insert(kind, hash, bounded);
		RootCount::<T>::insert(kind, count.saturating_add(1));
		Self::deposit_event(Event::RootAdded { kind, hash });
		Ok(())
	}

	/// Every pinned root of `kind`, DER.
	pub fn roots(kind: RootKind) -> Vec<Vec<u8>> {
		VendorRoots::<T>::iter_prefix_values(kind)
			.take(T::MaxRootsPerKind::get() as usize)
			.map(|r| r.into_inner())
			.collect()
	}

	fn pinned(kind: RootKind) -> Result<Vec<Vec<u8>>, Error<T>> {
		let roots = Self::roots(kind);
		if roots.is_empty() {
			return Err(Error::<T>::NoPinnedRoot);
		}
		Ok(roots)
	}

	pub(crate) fn do_upload_collateral(collateral: &[u8]) -> DispatchResult {
		let now = Self::now_secs();
		let roots = Self::pinned(RootKind::IntelSgx)?;
		// Try each pinned Intel root. If none verifies, report the error of a root the
		// collateral chains to (a bad signature, an expiry...), else `UntrustedChain`.
		let mut error = AttestationError::Chain;
		let mut verified = None;
		for root in &roots {
			match verify::dcap::verify_collateral(collateral, root, now) {
				Ok(v) => {
					verified = Some(v);
					break;
				},
				Err(AttestationError::Chain) => {},
				Err(e) => error = e,
			}
		}
		let verified = verified.ok_or_else(|| Self::map_error(error))?;
		let key = verified.key();
		if let Some(existing) = DcapCollateral::<T>::get(key) {
			ensure!(verified.issued_at > existing.issued_at, Error::<T>::CollateralNotNewer);
		}
		let (issued_at, not_after) = (verified.issued_at, verified.not_after);
		DcapCollateral::<T>::insert(key, verified);
		Self::deposit_event(Event::CollateralStored { key, issued_at, not_after });
		Ok(())
	}

	/// Verify `evidence` of `kind` against the pinned roots, stored collateral and policy, for
	/// a provider whose binding is `binding`, at `now` (Unix seconds). Reads storage, writes
	/// nothing.
	pub fn verify_evidence(
		kind: EvidenceKind,
		evidence: &[u8],
		binding: &[u8],
		now: u64,
	) -> Result<verify::Verified, DispatchError> {
		let policy = NetworkPolicy::<T>::get().to_policy();
		let result = match kind {
			EvidenceKind::SgxDcap | EvidenceKind::TdxDcap => {
				let key = verify::dcap::quote_collateral_key(evidence).map_err(Self::map_error)?;
				let expected_tee = match kind {
					EvidenceKind::SgxDcap => verify::dcap::DcapTee::Sgx,
					_ => verify::dcap::DcapTee::Tdx,
				};
				ensure!(key.tee == expected_tee, Error::<T>::UnsupportedEvidence);
				let collateral =
					DcapCollateral::<T>::get(key).ok_or(Error::<T>::CollateralMissing)?;
				let root = VendorRoots::<T>::get(RootKind::IntelSgx, collateral.root_ca_hash)
					.ok_or(Error::<T>::NoPinnedRoot)?;
				verify::dcap::verify_quote(evidence, &collateral, &root, &policy, binding, now)
			},
			EvidenceKind::SevSnp => {
				let arks = Self::pinned(RootKind::AmdArk)?;
				let (report, vcek, ask) =
					verify::split_sev_snp_bundle(evidence).map_err(Self::map_error)?;
				verify::sev_snp::verify(report, vcek, ask, &refs(&arks), &policy, binding, now)
			},
			EvidenceKind::Cca => {
				let keys = Self::pinned(RootKind::ArmCcaPlatform)?;
				verify::cca::verify(evidence, &refs(&keys), &policy, binding, now)
			},
			EvidenceKind::Quantum => {
				let roots = Self::pinned(RootKind::QuantumFacility)?;
				let chain = verify::split_der(evidence).map_err(Self::map_error)?;
				verify::quantum::verify(&chain, &refs(&roots), &policy, binding, now)
			},
		};
		let verified = result.map_err(Self::map_error)?;
		ensure!(verified.kind == kind, Error::<T>::UnsupportedEvidence);
		Ok(verified)
	}

	/// Hand a verified attestation to the registry and keep its summary.
	pub(crate) fn record(
		provider: ProviderId,
		kind: EvidenceKind,
		evidence: &[u8],
		verified: &verify::Verified,
		now: u64,
	) -> DispatchResult {
		let block_secs = T::BlockTimeSecs::get().max(1);
		let left_secs = verified.not_after.saturating_sub(now);
		let left_blocks: BlockNumberFor<T> =
			u32::try_from(left_secs / block_secs).unwrap_or(u32::MAX).into();
		let validity = left_blocks.min(T::MaxValidityBlocks::get());
		ensure!(!validity.is_zero(), Error::<T>::EvidenceExpired);
		let now_block = frame_system::Pallet::<T>::block_number();
		let expires_at = now_block.saturating_add(validity);
		let version = Attestations::<T>::get(provider).map_or(1, |a| a.version.saturating_add(1));
		let hash = verify::evidence_hash(evidence);
		let record = AttestationRecord {
			hash,
			kind,
			measurement: verified.measurement,
			updated_height: now_block,
			version,
			expires_at,
		};
		T::Registry::attestation_verified(&provider, record)?;
		Attestations::<T>::insert(
			provider,
			StoredAttestation {
				hash,
				kind,
				measurement: verified.measurement,
				tcb_status: verified.tcb_status,
				debug: verified.debug,
				issued_at: verified.issued_at,
				trap_families: BoundedVec::truncate_from(
					verified
						.trap_families
						.iter()
						.filter_map(|f| aicf_primitives::types::Name::try_from(f.clone()).ok())
						.collect(),
				),
				verified_at: now_block,
				version,
				expires_at,
			},
		);
		Self::deposit_event(Event::AttestationAccepted {
			provider,
			kind,
			hash,
			measurement: verified.measurement,
			version,
			expires_at,
		});
		Ok(())
	}

	/// The current policy's verdict on a stored attestation (measurement, TCB, debug, age,
	/// trap families).
	pub fn check_stored(stored: &StoredAttestationOf<T>, now: u64) -> Result<(), AttestationError> {
		let policy = NetworkPolicy::<T>::get().to_policy();
		let as_verified = verify::Verified {
			kind: stored.kind,
			measurement: stored.measurement,
			report_data: [0; 64],
			tcb_status: stored.tcb_status,
			debug: stored.debug,
			issued_at: stored.issued_at,
			not_after: u64::MAX,
			trap_families: stored.trap_families.iter().map(|f| f.to_vec()).collect(),
		};
		verify::apply_common_policy(&as_verified, &policy, now)?;
		if stored.kind == EvidenceKind::Quantum
			&& !policy.quantum_trap_families.is_empty()
			&& !as_verified.trap_families.iter().any(|f| policy.quantum_trap_families.contains(f))
		{
			return Err(AttestationError::TrapFamily);
		}
		Ok(())
	}

	fn revoke(provider: ProviderId, reason: RevocationReason) -> DispatchResult {
		T::Registry::attestation_revoked(&provider)?;
		Attestations::<T>::remove(provider);
		Self::deposit_event(Event::AttestationRevoked { provider, reason });
		Ok(())
	}

	/// The pallet error for a verifier error.
	pub fn map_error(e: AttestationError) -> DispatchError {
		match e {
			AttestationError::Parse(_) => Error::<T>::MalformedEvidence,
			AttestationError::Unsupported => Error::<T>::UnsupportedEvidence,
			AttestationError::Chain => Error::<T>::UntrustedChain,
			AttestationError::Signature => Error::<T>::BadEvidenceSignature,
			AttestationError::Expired => Error::<T>::EvidenceExpired,
			AttestationError::NotYetValid => Error::<T>::EvidenceNotYetValid,
			AttestationError::Revoked => Error::<T>::CertificateRevoked,
			AttestationError::TcbStatus(_) => Error::<T>::TcbStatusRejected,
			AttestationError::Measurement => Error::<T>::MeasurementNotAllowed,
			AttestationError::PolicyBit => Error::<T>::PolicyBitRejected,
			AttestationError::Debug => Error::<T>::DebugRefused,
			AttestationError::ReportDataBinding => Error::<T>::ReportDataMismatch,
			AttestationError::TooOld => Error::<T>::EvidenceTooOld,
			AttestationError::CollateralMismatch => Error::<T>::CollateralMismatch,
			AttestationError::TrapFamily => Error::<T>::NoAcceptedTrapFamily,
		}
		.into()
	}
}
