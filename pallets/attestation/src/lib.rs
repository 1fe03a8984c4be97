//! # AICF Attestation Pallet
//!
//! Verifies the runtime evidence of compute providers on chain, against vendor roots pinned in
//! storage, and hands the result to the provider registry.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the calls, events, errors, storage and configuration.
//! `docs/pallet-attestation.md` has the same as tables, and the module map.
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
//! - **AMD CRLs** ([`AmdCrls`]): anyone uploads AMD's lists; each is verified against its
//!   pinned ARK and merged into that ARK's stored list, so revocations are only ever added.
//!   SEV-SNP evidence whose ASK is on it is refused.
//! - **Submission** ([`Pallet::submit_attestation`]): the provider's controller submits
//!   evidence; it is verified at the chain's time with `aicf-attestation-verify`, must be fresh
//!   and bound (report data starting with [`aicf_attestation_verify::attestation_binding`] of
//!   the provider id, the hash of a block at most [`Config::ChallengeWindow`] blocks old that
//!   the call names, and the hash of the provider's current registry key), and the resulting
//!   [`AttestationRecord`] (SHA3-256 of the evidence, kind, measurement, block, version,
//!   expiry, certified trap families) goes to the registry through [`AttestationSink`], which
//!   refuses evidence for a capability the provider does not declare and re-evaluates
//!   eligibility in the same call. A provider holds one attestation per capability: a TEE
//!   (DCAP, SEV-SNP, CCA) for `ai`, a facility certificate for `quantum`.
//! - **Expiry and policy changes**: a record expires at the earliest of the evidence's own
//!   validity (certificates, collateral) and [`Config::MaxValidityBlocks`]. After a policy
//!   change, anyone may call [`Pallet::revalidate`] on a provider whose stored attestation no
//!   longer satisfies the policy: its attestation is revoked (free of charge when it was).
//!   [`Pallet::recheck`] goes further: given the accepted evidence, it verifies it again
//!   against today's roots, policy, collateral and lists.
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
//!
//! ## Low-level details
//!
//! `lib.rs` declares; the calls' logic lives in [`roots`] (pinning and reading roots),
//! [`policy`] (setting the policy and its verdict on stored attestations), [`collateral`]
//! (DCAP collateral and AMD CRL uploads), [`submission`] (verification, hand-over to the
//! registry, the submission and recheck weights) and [`revocation`] (`revalidate`, `recheck`
//! and revocation). [`errors`] maps each
//! verifier error to its pallet error. Verification itself is `aicf-attestation-verify`.
//!
//! [`AttestationRecord`]: aicf_primitives::traits::AttestationRecord
//! [`AttestationSink`]: aicf_primitives::traits::AttestationSink
//! [`EvidenceKind`]: aicf_primitives::traits::EvidenceKind

#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(test, allow(clippy::arithmetic_side_effects, clippy::indexing_slicing))]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod collateral;
pub mod errors;
#[cfg(test)]
mod mock;
pub mod policy;
pub mod revocation;
pub mod roots;
pub mod submission;
#[cfg(test)]
mod tests;
mod types;
pub mod vendor_roots;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub use benchmarking::BenchmarkHelper;
pub use types::*;
pub use weights::WeightInfo;

// FRAME's expansion of the pallet, storage and error declarations calls `expect` (the pallet's
// name and index in the runtime, which `construct_runtime!` guarantees); the hand-written code
// in this module has none.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use aicf_attestation_verify as verify;
	use aicf_primitives::{
		traits::{AttestationSink, EvidenceKind, ProviderControllers},
		CapabilityKind, ProviderId,
	};
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::UnixTime};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::Zero;

	/// The in-code storage version. 2: `Attestations` keyed by provider and capability (no
	/// chain with version 1 was launched, so there is no migration).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

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

		/// Evidence must bind the hash of a block at most this many blocks before the one
		/// that includes it (at most the number of block hashes frame-system keeps).
		#[pallet::constant]
		type ChallengeWindow: Get<BlockNumberFor<Self>>;

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

	/// AMD ARKs and quantum facility roots by kind and SHA-256 of their subject name → the
	/// SHA-256 of their DER (the `VendorRoots` key): a chain names its root by its top
	/// certificate's issuer, so a submission reads the one root that name selects, however
	/// many are pinned. One root per name.
	#[pallet::storage]
	pub type RootsByName<T: Config> =
		StorageDoubleMap<_, Twox64Concat, RootKind, Identity, [u8; 32], [u8; 32], OptionQuery>;

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

	/// The latest accepted attestation of each provider per capability, as verified.
	#[pallet::storage]
	pub type Attestations<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		ProviderId,
		Twox64Concat,
		CapabilityKind,
		StoredAttestationOf<T>,
		OptionQuery,
	>;

	/// Quantum facility certificates governance revoked, by SHA-256 fingerprint of their DER
	/// → the block of revocation. A chain through any of them is refused
	/// (`CertificateRevoked`), and `revalidate` revokes attestations already accepted through
	/// one.
	#[pallet::storage]
	pub type RevokedCertificates<T: Config> =
		StorageMap<_, Identity, [u8; 32], BlockNumberFor<T>, OptionQuery>;

	/// AMD's revocations by SHA-256 of the issuer's name (the ARK's subject): the union of
	/// every list verified against a pinned ARK of that name (AMD publishes one for VCEK
	/// chains and one for VLEK chains per ARK), with the latest `thisUpdate` and
	/// `nextUpdate` seen. An SEV-SNP chain whose ASK is on it is refused
	/// (`CertificateRevoked`), and `recheck` revokes attestations accepted before.
	#[pallet::storage]
	pub type AmdCrls<T: Config> =
		StorageMap<_, Identity, [u8; 32], verify::amd_crl::VerifiedAmdCrl, OptionQuery>;

	/// Genesis: pinned roots. The policy starts at its default (TCB UpToDate only, debug
	/// refused, **no** TEE workload admitted until governance pins one), unless
	/// `accept_any_workload`.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Roots to pin, PEM or DER.
		pub roots: Vec<(RootKind, Vec<u8>)>,
		/// Start with a policy that admits **any** TEE workload ([`AttestationPolicy`]'s
		/// `any_workload`): for development chains, whose presets set it; never for a chain
		/// holding value.
		pub accept_any_workload: bool,
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
			if self.accept_any_workload {
				NetworkPolicy::<T>::mutate(|p| p.any_workload = true);
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
			der_hash: [u8; 32],
		},
		/// A root was removed.
		RootRemoved {
			/// Its kind.
			kind: RootKind,
			/// SHA-256 of its DER.
			der_hash: [u8; 32],
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
			evidence_hash: [u8; 32],
			/// Attested measurement (zero-padded).
			measurement: [u8; 48],
			/// The record's version.
			version: u32,
			/// Block after which it no longer counts.
			expires_at: BlockNumberFor<T>,
		},
		/// Governance revoked (`revoked`) or reinstated a quantum facility certificate.
		CertificateRevocationSet {
			/// SHA-256 of the certificate's DER.
			fingerprint: [u8; 32],
			/// Whether it is now revoked.
			revoked: bool,
		},
		/// A provider's attestation was revoked.
		AttestationRevoked {
			/// The provider.
			provider: ProviderId,
			/// The capability it attested.
			capability: CapabilityKind,
			/// Why.
			reason: RevocationReason,
		},
		/// An AMD CRL was verified and merged into the stored list of its ARK.
		AmdCrlStored {
			/// SHA-256 of its issuer's name (the ARK's subject).
			issuer: [u8; 32],
			/// Its `thisUpdate`, Unix seconds.
			this_update: u64,
			/// Its `nextUpdate`, Unix seconds.
			next_update: u64,
			/// How many certificates the stored list revokes now.
			revoked: u32,
		},
		/// `recheck` found that a provider's evidence no longer verifies; the attestation is
		/// revoked (the `AttestationRevoked` event follows).
		RecheckFailed {
			/// The provider.
			provider: ProviderId,
			/// The capability it attested.
			capability: CapabilityKind,
			/// What the verification of the evidence returned today.
			error: DispatchError,
		},
	}

	/// Errors. Each verification failure has its own; a failed call changes nothing.
	#[pallet::error]
	pub enum Error<T> {
		/// No such (live) provider.
		UnknownProvider,
		/// The caller is not the provider's controller.
		NotController,
		/// The root is not a single well-formed DER value (or PEM block); for an AMD ARK or a
		/// quantum facility root, not a self-issued, self-signed CA certificate.
		MalformedRoot,
		/// The root is longer than `MaxRootLen`.
		RootTooLong,
		/// This root is already pinned (for Arm CCA: an anchor for the same platform instance;
		/// for an AMD ARK or a quantum facility root: a root with the same subject name).
		RootAlreadyPinned,
		/// `MaxRootsPerKind` roots of this kind are pinned.
		TooManyRoots,
		/// No such pinned root.
		UnknownRoot,
		/// No root of the kind the evidence needs is pinned.
		NoPinnedRoot,
		/// No verified collateral on chain for this quote's TEE, FMSPC and PCK CA.
		CollateralMissing,
		/// Stored collateral for the same key is from the same TCB evaluation and has every
		/// component as new.
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
		/// The collateral comes from an older TCB evaluation (a lower
		/// `tcbEvaluationDataNumber`) than the stored one, or one of its components (TCB info,
		/// QE identity, either CRL) was issued before the stored one's: Intel's grading of
		/// platforms and its revocations never go back.
		CollateralRollback,
		/// The challenge block is older than `ChallengeWindow` blocks: the evidence is stale.
		ChallengeTooOld,
		/// The challenge block is not before the current block.
		ChallengeNotPast,
		/// The DCAP collateral comes from a TCB evaluation below the policy's
		/// `min_tcb_evaluation_data_number` (an Intel TCB recovery happened since).
		TcbEvaluationTooOld,
		/// CCA: the platform token is not signed by the key of the pinned anchor its instance
		/// ID names (a platform whose instance ID no anchor names is an `UntrustedChain`).
		BadPlatformSignature,
		/// CCA: the realm token is not signed by the realm's own attestation key.
		BadRealmSignature,
		/// CCA: the platform token does not vouch for this realm (its challenge is not the
		/// hash of the realm's key).
		RealmNotBound,
		/// `set_certificate_revoked` would change nothing: the certificate is already revoked,
		/// or was not revoked.
		RevocationUnchanged,
		/// The policy requires AMD CRLs (`require_amd_crl`) and none is stored for the ARK
		/// that issued this SEV-SNP chain's ASK.
		AmdCrlMissing,
		/// The policy requires AMD CRLs and the stored one for this chain's ARK is past its
		/// `nextUpdate`: upload AMD's current list.
		AmdCrlExpired,
		/// The AMD CRL revokes nothing the stored list of its ARK does not, and is not newer
		/// (`thisUpdate`) than every list merged into it.
		CrlNotNewer,
		/// Merged with the stored list of its ARK, the AMD CRL would revoke more than
		/// `amd_crl::MAX_REVOKED_SERIALS` certificates.
		CrlTooLarge,
		/// `recheck` was given evidence whose hash is not the stored attestation's.
		EvidenceMismatch,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			let window = T::ChallengeWindow::get();
			assert!(
				!window.is_zero() && window < T::BlockHashCount::get(),
				"ChallengeWindow must be positive and below BlockHashCount: older block hashes \
				 are not kept"
			);
		}
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
		pub fn remove_root(
			origin: OriginFor<T>,
			kind: RootKind,
			der_hash: [u8; 32],
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_remove_root(kind, der_hash)
		}

		/// Replace the network's policy. Existing attestations that no longer satisfy it can
		/// be revoked by anyone with [`Pallet::revalidate`].
		///
		/// Origin: [`Config::GovernanceOrigin`]. Events: [`Event::PolicySet`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_policy())]
		pub fn set_policy(origin: OriginFor<T>, policy: PolicyOf<T>) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_policy(policy);
			Ok(())
		}

		/// Upload Intel DCAP collateral (dcap-qvl `QuoteCollateralV3`, JSON or SCALE). It is
		/// verified against a pinned Intel root now and stored for quotes of its TEE, FMSPC and
		/// PCK CA, replacing older collateral for the same key: collateral from a later TCB
		/// evaluation (`tcbEvaluationDataNumber`, the lower of the TCB info's and QE identity's)
		/// replaces it whatever its dates; from the same evaluation, only a later issue date
		/// does; from an earlier evaluation, never.
		///
		/// Origin: signed, anyone. Errors: [`Error::NoPinnedRoot`],
		/// [`Error::CollateralRollback`], [`Error::CollateralNotNewer`] and the verification errors
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

		/// Submit evidence for `provider`; on success the registry records the attestation of
		/// the capability `kind` attests and re-evaluates eligibility.
		///
		/// The evidence's report data must start with
		/// [`aicf_attestation_verify::attestation_binding`] of the provider id, the hash of
		/// block `challenge_block` (before the current block, at most
		/// [`Config::ChallengeWindow`] blocks before it) and the hash of the provider's
		/// current registry key.
		///
		/// Origin: the provider's controller. Errors: [`Error::UnknownProvider`],
		/// [`Error::NotController`], [`Error::ChallengeNotPast`], [`Error::ChallengeTooOld`],
		/// [`Error::NoPinnedRoot`], [`Error::CollateralMissing`], every verification error, and
		/// the registry's (evidence for an undeclared capability, a trap family the
		/// certificate does not certify). Events: [`Event::AttestationAccepted`].
		#[pallet::call_index(4)]
		#[pallet::weight(Pallet::<T>::submit_weight(*kind))]
		pub fn submit_attestation(
			origin: OriginFor<T>,
			provider: ProviderId,
			kind: EvidenceKind,
			challenge_block: BlockNumberFor<T>,
			evidence: BoundedVec<u8, T::MaxEvidenceLen>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_submit_attestation(who, provider, kind, challenge_block, &evidence)
		}

		/// Revoke `provider`'s attestation of `capability` if it no longer satisfies the
		/// current policy, has expired, or was bound to a registry key the provider no longer
		/// has. Anyone may call it; it is free when it revokes and
		/// fails (fee paid) otherwise.
		///
		/// Origin: signed. Errors: [`Error::NoAttestation`], [`Error::StillValid`]. Events:
		/// [`Event::AttestationRevoked`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::revalidate())]
		pub fn revalidate(
			origin: OriginFor<T>,
			provider: ProviderId,
			capability: CapabilityKind,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			Self::do_revalidate(provider, capability)?;
			Ok(Pays::No.into())
		}

		/// Revoke `provider`'s attestation of `capability` (for example after a root was found
		/// compromised).
		///
		/// Origin: [`Config::GovernanceOrigin`]. Errors: [`Error::NoAttestation`]. Events:
		/// [`Event::AttestationRevoked`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::revalidate())]
		pub fn force_revoke(
			origin: OriginFor<T>,
			provider: ProviderId,
			capability: CapabilityKind,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_force_revoke(provider, capability)
		}

		/// Revoke (`revoked = true`) or reinstate a quantum facility certificate (leaf or
		/// intermediate) by the SHA-256 fingerprint of its DER (`openssl x509 -noout
		/// -fingerprint -sha256`): unique whichever facility issued it. New evidence chaining
		/// through a revoked certificate is refused (`CertificateRevoked`); `revalidate`
		/// revokes attestations already accepted through one (reason `CertificateRevoked`).
		///
		/// Origin: [`Config::GovernanceOrigin`]. Errors: [`Error::RevocationUnchanged`].
		/// Events: [`Event::CertificateRevocationSet`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::set_certificate_revoked())]
		pub fn set_certificate_revoked(
			origin: OriginFor<T>,
			fingerprint: [u8; 32],
			revoked: bool,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(
				RevokedCertificates::<T>::contains_key(fingerprint) != revoked,
				Error::<T>::RevocationUnchanged
			);
			if revoked {
				RevokedCertificates::<T>::insert(
					fingerprint,
					frame_system::Pallet::<T>::block_number(),
				);
			} else {
				RevokedCertificates::<T>::remove(fingerprint);
			}
			Self::deposit_event(Event::CertificateRevocationSet { fingerprint, revoked });
			Ok(())
		}

		/// Upload an AMD CRL (DER, as AMD's Key Distribution Service serves it at
		/// `/vcek/v1/{Milan,Genoa,Turin}/crl` and `/vlek/v1/…/crl`). It is verified against
		/// the pinned ARKs now and merged into the stored list of its ARK: revocations are
		/// only ever added, so neither an older list nor the ARK's other list can remove one.
		///
		/// Origin: signed, anyone. Errors: [`Error::NoPinnedRoot`], [`Error::CrlNotNewer`],
		/// [`Error::CrlTooLarge`]
		/// and the verification errors ([`Error::MalformedEvidence`],
		/// [`Error::UnsupportedEvidence`], [`Error::UntrustedChain`],
		/// [`Error::BadEvidenceSignature`], [`Error::EvidenceExpired`],
		/// [`Error::EvidenceNotYetValid`]). Events: [`Event::AmdCrlStored`].
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::upload_amd_crl())]
		pub fn upload_amd_crl(
			origin: OriginFor<T>,
			crl: BoundedVec<u8, ConstU32<MAX_AMD_CRL_LEN>>,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_upload_amd_crl(&crl)
		}

		/// Verify `provider`'s stored attestation of `capability` again, from its evidence
		/// (`evidence` must hash to the stored attestation's `hash`; anyone can take it from
		/// the block that included it), against today's roots, policy, DCAP collateral, AMD
		/// CRLs and revoked certificates, with the binding it was accepted under. If it no
		/// longer verifies, the attestation is revoked (reason `Expired`, `CertificateRevoked`
		/// or `RecheckFailed`, after [`Event::RecheckFailed`] naming the error) and the call
		/// is free; if it still does, the call fails with [`Error::StillValid`] and the fee is
		/// paid. Missing or lapsed chain data is not the evidence's fault: with no collateral
		/// for a quote (`CollateralMissing`), or no current AMD list where the policy requires
		/// one (`AmdCrlMissing`, `AmdCrlExpired`), the call fails with that error, the fee is
		/// paid and the attestation stays. Charged for the costliest evidence kind of
		/// `capability`, refunded to the stored kind's (to `revalidate`'s when the stored
		/// summary alone revokes it).
		///
		/// Origin: signed. Errors: [`Error::NoAttestation`], [`Error::EvidenceMismatch`],
		/// [`Error::StillValid`], [`Error::CollateralMissing`], [`Error::AmdCrlMissing`],
		/// [`Error::AmdCrlExpired`]. Events: [`Event::RecheckFailed`],
		/// [`Event::AttestationRevoked`].
		#[pallet::call_index(9)]
		#[pallet::weight(Pallet::<T>::recheck_weight(*capability))]
		pub fn recheck(
			origin: OriginFor<T>,
			provider: ProviderId,
			capability: CapabilityKind,
			evidence: BoundedVec<u8, T::MaxEvidenceLen>,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let verified_kind = Self::do_recheck(provider, capability, &evidence)?;
			let actual = match verified_kind {
				Some(kind) => Self::recheck_kind_weight(kind),
				None => {
					T::WeightInfo::revalidate().saturating_add(T::WeightInfo::record_attestation())
				},
			};
			Ok(frame_support::dispatch::PostDispatchInfo {
				actual_weight: Some(actual),
				pays_fee: Pays::No,
			})
		}
	}
}
