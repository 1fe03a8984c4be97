//! Submission: verifying evidence at chain time and handing the accepted attestation to the
//! registry, and the weight of a submission per evidence kind.
//!
//! [`Pallet::verify_evidence`] reads the pinned roots, stored collateral and policy and writes
//! nothing; [`Pallet::store_attestation`] turns a verification result into the registry's
//! [`AttestationRecord`] and keeps the summary `revalidate` needs. A record expires at the
//! earliest of the evidence's own validity and `MaxValidityBlocks`.

use crate::{
	roots::refs, weights::WeightInfo, AmdCrls, Attestations, Config, DcapCollateral, Error, Event,
	NetworkPolicy, Pallet, RevokedCertificates, RootKind, StoredAttestation, VendorRoots,
};
use aicf_attestation_verify as verify;
use aicf_primitives::{
	traits::{AttestationRecord, AttestationSink, EvidenceKind, ProviderControllers},
	types::Name,
	CapabilityKind, ProviderId,
};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{Get, UnixTime},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Chain time, Unix seconds.
	pub(crate) fn now_secs() -> u64 {
		T::UnixTime::now().as_secs()
	}

	/// Weight of verifying evidence of `kind` (`verify_evidence`).
	pub fn verify_weight(kind: EvidenceKind) -> Weight {
		match kind {
			EvidenceKind::SgxDcap => T::WeightInfo::verify_sgx(),
			EvidenceKind::TdxDcap => T::WeightInfo::verify_tdx(),
			EvidenceKind::SevSnp => T::WeightInfo::verify_sev_snp(),
			EvidenceKind::Cca => T::WeightInfo::verify_cca(),
			// Benchmarked on the longest chain: `MAX_CHAIN_CERTS` certificates below the root.
			EvidenceKind::Quantum => T::WeightInfo::verify_quantum(),
		}
	}

	/// Weight of `submit_attestation` for `kind`: verification plus recording.
	pub fn submit_weight(kind: EvidenceKind) -> Weight {
		Self::verify_weight(kind).saturating_add(T::WeightInfo::record_attestation())
	}

	/// Weight of `recheck` once the stored attestation's `kind` is known: verifying it again,
	/// and revoking; hashing the evidence is bounded by `record_attestation`, which hashes
	/// it too.
	pub fn recheck_kind_weight(kind: EvidenceKind) -> Weight {
		Self::verify_weight(kind)
			.saturating_add(T::WeightInfo::revalidate())
			.saturating_add(T::WeightInfo::record_attestation())
	}

	/// Weight charged up front for `recheck` of `capability`: its costliest evidence kind.
	pub fn recheck_weight(capability: CapabilityKind) -> Weight {
		let kinds: &[EvidenceKind] = match capability {
			CapabilityKind::Ai => &[
				EvidenceKind::SgxDcap,
				EvidenceKind::TdxDcap,
				EvidenceKind::SevSnp,
				EvidenceKind::Cca,
			],
			CapabilityKind::Quantum => &[EvidenceKind::Quantum],
		};
		kinds.iter().map(|k| Self::recheck_kind_weight(*k)).fold(Weight::zero(), |a, b| a.max(b))
	}

	pub(crate) fn do_submit_attestation(
		who: T::AccountId,
		provider: ProviderId,
		kind: EvidenceKind,
		challenge_block: BlockNumberFor<T>,
		evidence: &[u8],
	) -> DispatchResult {
		let controller = T::Registry::controller(&provider).ok_or(Error::<T>::UnknownProvider)?;
		ensure!(controller == who, Error::<T>::NotController);
		let binding = Self::binding_for(&provider, challenge_block)?;
		let now = Self::now_secs();
		let verified = Self::verify_evidence(kind, evidence, &binding, now)?;
		Self::store_attestation(provider, kind, evidence, &verified, binding, now)
	}

	/// The report-data prefix fresh evidence for `provider` must carry when it names
	/// `challenge_block`: [`verify::attestation_binding`] of the provider id, that block's
	/// hash and the provider's current registry key hash. The block must be before the current
	/// one and at most [`Config::ChallengeWindow`] blocks before it.
	pub fn binding_for(
		provider: &ProviderId,
		challenge_block: BlockNumberFor<T>,
	) -> Result<[u8; 32], DispatchError> {
		let now_block = frame_system::Pallet::<T>::block_number();
		ensure!(challenge_block < now_block, Error::<T>::ChallengeNotPast);
		ensure!(
			now_block.saturating_sub(challenge_block) <= T::ChallengeWindow::get(),
			Error::<T>::ChallengeTooOld
		);
		let hash = frame_system::Pallet::<T>::block_hash(challenge_block);
		let challenge: [u8; 32] =
			hash.as_ref().try_into().map_err(|_| Error::<T>::ChallengeTooOld)?;
		// frame-system returns zeros for a hash it no longer keeps.
		ensure!(challenge != [0u8; 32], Error::<T>::ChallengeTooOld);
		let key_hash =
			T::Registry::registry_key_hash(provider).ok_or(Error::<T>::UnknownProvider)?;
		Ok(verify::attestation_binding(&provider.0, &challenge, &key_hash))
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
		let stored_policy = NetworkPolicy::<T>::get();
		let policy = stored_policy.to_policy();
		let result = match kind {
			EvidenceKind::SgxDcap | EvidenceKind::TdxDcap => {
				let key = verify::dcap::quote_collateral_key(evidence).map_err(Error::<T>::from)?;
				let expected_tee = match kind {
					EvidenceKind::SgxDcap => verify::dcap::DcapTee::Sgx,
					_ => verify::dcap::DcapTee::Tdx,
				};
				ensure!(key.tee == expected_tee, Error::<T>::UnsupportedEvidence);
				let collateral =
					DcapCollateral::<T>::get(key).ok_or(Error::<T>::CollateralMissing)?;
				ensure!(
					collateral.tcb_evaluation_data_number
						>= stored_policy.min_tcb_evaluation_data_number,
					Error::<T>::TcbEvaluationTooOld
				);
				let root = VendorRoots::<T>::get(RootKind::IntelSgx, collateral.root_ca_hash)
					.ok_or(Error::<T>::NoPinnedRoot)?;
				verify::dcap::verify_quote(evidence, &collateral, &root, &policy, binding, now)
			},
			EvidenceKind::SevSnp => {
				let (report, vcek, ask) =
					verify::split_sev_snp_bundle(evidence).map_err(Error::<T>::from)?;
				// The ASK names its ARK: the one root read, whatever else is pinned.
				let (issuer, serial) =
					verify::amd_crl::revocation_id(ask).map_err(Error::<T>::from)?;
				let ark = Self::root_named(RootKind::AmdArk, issuer)?;
				let verified =
					verify::sev_snp::verify(report, vcek, ask, &[&ark], &policy, binding, now);
				if verified.is_ok() {
					Self::check_amd_crl(issuer, &serial, stored_policy.require_amd_crl, now)?;
				}
				verified
			},
			EvidenceKind::Cca => {
				let keys = Self::pinned(RootKind::ArmCcaPlatform)?;
				verify::cca::verify(evidence, &refs(&keys), &policy, binding, now)
			},
			EvidenceKind::Quantum => {
				let chain = verify::split_der(evidence).map_err(Error::<T>::from)?;
				// The top certificate's issuer names the root (a chain ending with a copy of the
				// root names it too: a root is its own issuer): the one root read, whatever else
				// is pinned.
				let top = chain.last().ok_or(Error::<T>::MalformedEvidence)?;
				let (_, issuer) = verify::name_hashes(top).map_err(Error::<T>::from)?;
				let root = Self::root_named(RootKind::QuantumFacility, issuer)?;
				verify::quantum::verify(&chain, &[&root], &policy, binding, now)
			},
		};
		let verified = result.map_err(Error::<T>::from)?;
		ensure!(verified.kind == kind, Error::<T>::UnsupportedEvidence);
		for fingerprint in &verified.chain_fingerprints {
			ensure!(
				!RevokedCertificates::<T>::contains_key(fingerprint),
				Error::<T>::CertificateRevoked
			);
		}
		Ok(verified)
	}

	/// Refuses an SEV-SNP chain whose ASK (issuer-name hash and serial, the chain already
	/// verified) is on its ARK's stored CRL, and, when the policy requires lists
	/// (`required`), one whose ARK has no current list.
	pub(crate) fn check_amd_crl(
		issuer: [u8; 32],
		serial: &[u8],
		required: bool,
		now: u64,
	) -> DispatchResult {
		match AmdCrls::<T>::get(issuer) {
			Some(list) => {
				ensure!(!list.revokes(&issuer, serial), Error::<T>::CertificateRevoked);
				ensure!(!required || now < list.next_update, Error::<T>::AmdCrlExpired);
			},
			None => ensure!(!required, Error::<T>::AmdCrlMissing),
		}
		Ok(())
	}

	/// Hand a verified attestation to the registry and keep its summary, with the `binding`
	/// it was verified under.
	pub(crate) fn store_attestation(
		provider: ProviderId,
		kind: EvidenceKind,
		evidence: &[u8],
		verified: &verify::Verified,
		binding: [u8; 32],
		now: u64,
	) -> DispatchResult {
		let left_secs = verified.not_after.saturating_sub(now);
		// A block time of zero counts as one second.
		let left_blocks = left_secs.checked_div(T::BlockTimeSecs::get()).unwrap_or(left_secs);
		let left_blocks: BlockNumberFor<T> = u32::try_from(left_blocks).unwrap_or(u32::MAX).into();
		let validity = left_blocks.min(T::MaxValidityBlocks::get());
		ensure!(!validity.is_zero(), Error::<T>::EvidenceExpired);
		let now_block = frame_system::Pallet::<T>::block_number();
		let expires_at = now_block.saturating_add(validity);
		let capability = kind.capability();
		let version =
			Attestations::<T>::get(provider, capability).map_or(1, |a| a.version.saturating_add(1));
		let evidence_hash = verify::evidence_hash(evidence);
		let trap_families: BoundedVec<Name, _> = BoundedVec::truncate_from(
			verified.trap_families.iter().filter_map(|f| Name::try_from(f.clone()).ok()).collect(),
		);
		let attestation = AttestationRecord {
			evidence_hash,
			kind,
			measurement: verified.measurement,
			updated_height: now_block,
			version,
			expires_at,
			not_after: verified.not_after,
			trap_families,
		};
		T::Registry::attestation_verified(&provider, attestation)?;
		Attestations::<T>::insert(
			provider,
			capability,
			StoredAttestation {
				evidence_hash,
				kind,
				measurement: verified.measurement,
				workload: verified.workload,
				tcb_status: verified.tcb_status,
				debug: verified.debug,
				issued_at: verified.issued_at,
				trap_families: BoundedVec::truncate_from(
					verified
						.trap_families
						.iter()
						.filter_map(|f| Name::try_from(f.clone()).ok())
						.collect(),
				),
				chain_fingerprints: BoundedVec::truncate_from(verified.chain_fingerprints.clone()),
				not_after: verified.not_after,
				verified_at: now_block,
				version,
				expires_at,
				key_hash: T::Registry::registry_key_hash(&provider).unwrap_or_default(),
				binding,
			},
		);
		Self::deposit_event(Event::AttestationAccepted {
			provider,
			kind,
			evidence_hash,
			measurement: verified.measurement,
			version,
			expires_at,
		});
		Ok(())
	}
}
