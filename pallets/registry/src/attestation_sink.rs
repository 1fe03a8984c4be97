//! Where the attestation pallet hands verified and revoked attestations ([`AttestationSink`]):
//! stored on the provider's record in the slot of the capability the evidence attests, its
//! status re-decided in the same call.
//!
//! Evidence must serve a declared capability: a TEE attestation needs a declared `ai`
//! capability, a facility certificate a declared `quantum` one whose every trap family it
//! certifies. Anything else is refused, so an `ai` provider cannot become ACTIVE on a quantum
//! certificate, nor a TEE stand in for a quantum device.

use crate::{Config, Error, Pallet, Providers, StatusReason};
use aicf_primitives::{
	id::KeyHash,
	traits::{AttestationRecord, AttestationSink},
	CapabilityKind, ProviderId, ProviderStatus,
};
use frame_support::{ensure, pallet_prelude::DispatchResult};
use frame_system::pallet_prelude::BlockNumberFor;

impl<T: Config> AttestationSink<BlockNumberFor<T>> for Pallet<T> {
	fn registry_key_hash(provider: &ProviderId) -> Option<KeyHash> {
		Providers::<T>::get(provider)
			.filter(|r| r.status != ProviderStatus::Deregistered)
			.map(|r| r.key.key_hash())
	}

	fn attestation_verified(
		provider: &ProviderId,
		record: AttestationRecord<BlockNumberFor<T>>,
	) -> DispatchResult {
		let mut p = Providers::<T>::get(provider).ok_or(Error::<T>::UnknownProvider)?;
		ensure!(p.status != ProviderStatus::Deregistered, Error::<T>::ProviderDeregistered);
		let capability = record.kind.capability();
		ensure!(p.capabilities.has(capability), Error::<T>::EvidenceNotForCapability);
		if let Some(q) = &p.capabilities.quantum {
			if capability == CapabilityKind::Quantum {
				ensure!(
					q.trap_families.iter().all(|f| record.trap_families.contains(f)),
					Error::<T>::TrapFamilyNotCertified
				);
			}
		}
		*p.attestations.slot_mut(capability) = Some(record);
		Self::refresh_status(provider, &mut p, StatusReason::AttestationUpdated);
		Providers::<T>::insert(provider, p);
		Ok(())
	}

	fn attestation_revoked(provider: &ProviderId, capability: CapabilityKind) -> DispatchResult {
		let mut p = Providers::<T>::get(provider).ok_or(Error::<T>::UnknownProvider)?;
		*p.attestations.slot_mut(capability) = None;
		Self::refresh_status(provider, &mut p, StatusReason::AttestationRevoked);
		Providers::<T>::insert(provider, p);
		Ok(())
	}
}
