//! Revocation: by anyone once an attestation has expired, the policy refuses it or the
//! provider's registry key changed since (`revalidate`, from the stored summary), once its
//! evidence no longer verifies against today's roots, policy, collateral and revocation lists
//! (`recheck`, given the evidence), or by governance (`force_revoke`).
//!
//! Revoking tells the registry first (which re-evaluates eligibility), then drops the stored
//! summary; a failed hand-over leaves the attestation in place.

use crate::{
	Attestations, Config, Error, Event, Pallet, RevocationReason, RevokedCertificates,
	StoredAttestationOf,
};
use aicf_attestation_verify as verify;
use aicf_primitives::{
	traits::{AttestationSink, EvidenceKind},
	CapabilityKind, ProviderId,
};
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// Why the stored summary of an attestation no longer stands at `now_secs`, if it does
	/// not: expired (in blocks or in chain time), bound to a rotated key, chained through a
	/// revoked certificate, or refused by the current policy.
	fn summary_verdict(
		provider: &ProviderId,
		stored: &StoredAttestationOf<T>,
		now_secs: u64,
	) -> Option<RevocationReason> {
		let now_block = frame_system::Pallet::<T>::block_number();
		// `not_after` is the last second the evidence is valid.
		if now_block >= stored.expires_at || now_secs > stored.not_after {
			Some(RevocationReason::Expired)
		} else if T::Registry::registry_key_hash(provider) != Some(stored.key_hash) {
			Some(RevocationReason::KeyRotated)
		} else if stored.chain_fingerprints.iter().any(RevokedCertificates::<T>::contains_key) {
			Some(RevocationReason::CertificateRevoked)
		} else if Self::check_stored(stored, now_secs).is_err() {
			Some(RevocationReason::PolicyChanged)
		} else {
			None
		}
	}

	pub(crate) fn do_revalidate(
		provider: ProviderId,
		capability: CapabilityKind,
	) -> DispatchResult {
		let stored =
			Attestations::<T>::get(provider, capability).ok_or(Error::<T>::NoAttestation)?;
		let reason = Self::summary_verdict(&provider, &stored, Self::now_secs())
			.ok_or(Error::<T>::StillValid)?;
		Self::revoke(provider, capability, reason)
	}

	/// `recheck`: the summary's verdict first, then the evidence verified again with the
	/// binding it was accepted under. Returns the stored kind if the evidence was verified
	/// (for the weight refund), `None` if the summary alone revoked it.
	pub(crate) fn do_recheck(
		provider: ProviderId,
		capability: CapabilityKind,
		evidence: &[u8],
	) -> Result<Option<EvidenceKind>, DispatchError> {
		let stored =
			Attestations::<T>::get(provider, capability).ok_or(Error::<T>::NoAttestation)?;
		ensure!(
			verify::evidence_hash(evidence) == stored.evidence_hash,
			Error::<T>::EvidenceMismatch
		);
		let now_secs = Self::now_secs();
		let mut verified_kind = None;
		let reason = match Self::summary_verdict(&provider, &stored, now_secs) {
			Some(reason) => reason,
			None => {
				verified_kind = Some(stored.kind);
				let error =
					match Self::verify_evidence(stored.kind, evidence, &stored.binding, now_secs) {
						Ok(_) => return Err(Error::<T>::StillValid.into()),
						Err(error) => error,
					};
				// Data the chain lacks is not the evidence's fault: refuse, revoke nothing.
				let chain_data = [
					Error::<T>::CollateralMissing,
					Error::<T>::AmdCrlMissing,
					Error::<T>::AmdCrlExpired,
				];
				if chain_data.into_iter().any(|e| error == e.into()) {
					return Err(error);
				}
				Self::deposit_event(Event::RecheckFailed { provider, capability, error });
				if error == Error::<T>::EvidenceExpired.into() {
					RevocationReason::Expired
				} else if error == Error::<T>::CertificateRevoked.into() {
					RevocationReason::CertificateRevoked
				} else {
					RevocationReason::RecheckFailed
				}
			},
		};
		Self::revoke(provider, capability, reason)?;
		Ok(verified_kind)
	}

	pub(crate) fn do_force_revoke(
		provider: ProviderId,
		capability: CapabilityKind,
	) -> DispatchResult {
		ensure!(Attestations::<T>::contains_key(provider, capability), Error::<T>::NoAttestation);
		Self::revoke(provider, capability, RevocationReason::Governance)
	}

	fn revoke(
		provider: ProviderId,
		capability: CapabilityKind,
		reason: RevocationReason,
	) -> DispatchResult {
		T::Registry::attestation_revoked(&provider, capability)?;
		Attestations::<T>::remove(provider, capability);
		Self::deposit_event(Event::AttestationRevoked { provider, capability, reason });
		Ok(())
	}
}
