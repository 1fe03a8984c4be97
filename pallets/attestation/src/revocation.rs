//! Revocation: by anyone once an attestation has expired, the policy refuses it or the
//! provider's registry key changed since (`revalidate`), or by governance (`force_revoke`).
//!
//! Revoking tells the registry first (which re-evaluates eligibility), then drops the stored
//! summary; a failed hand-over leaves the attestation in place.

use crate::{Attestations, Config, Error, Event, Pallet, RevocationReason, RevokedCertificates};
use aicf_primitives::{traits::AttestationSink, CapabilityKind, ProviderId};
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_revalidate(
		provider: ProviderId,
		capability: CapabilityKind,
	) -> DispatchResult {
		let stored =
			Attestations::<T>::get(provider, capability).ok_or(Error::<T>::NoAttestation)?;
		let now_block = frame_system::Pallet::<T>::block_number();
		let now_secs = Self::now_secs();
		// `not_after` is the last second the evidence is valid.
		let reason = if now_block >= stored.expires_at || now_secs > stored.not_after {
			RevocationReason::Expired
		} else if T::Registry::registry_key_hash(&provider) != Some(stored.key_hash) {
			RevocationReason::KeyRotated
		} else if stored.chain_fingerprints.iter().any(RevokedCertificates::<T>::contains_key) {
			RevocationReason::CertificateRevoked
		} else if Self::check_stored(&stored, now_secs).is_err() {
			RevocationReason::PolicyChanged
		} else {
			return Err(Error::<T>::StillValid.into());
		};
		Self::revoke(provider, capability, reason)
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
