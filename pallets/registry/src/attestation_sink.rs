//! Where the attestation pallet hands verified and revoked attestations ([`AttestationSink`]):
//! stored on the provider's record, its status re-decided in the same call.

use crate::{Config, Error, Pallet, Providers, StatusReason};
use aicf_primitives::{
	traits::{AttestationRecord, AttestationSink},
	ProviderId, ProviderStatus,
};
use frame_support::{ensure, pallet_prelude::DispatchResult};
use frame_system::pallet_prelude::BlockNumberFor;

impl<T: Config> AttestationSink<BlockNumberFor<T>> for Pallet<T> {
	fn attestation_verified(
		provider: &ProviderId,
		record: AttestationRecord<BlockNumberFor<T>>,
	) -> DispatchResult {
		let mut p = Providers::<T>::get(provider).ok_or(Error::<T>::UnknownProvider)?;
		ensure!(p.status != ProviderStatus::Deregistered, Error::<T>::ProviderDeregistered);
		p.attestation = Some(record);
		Self::refresh_status(provider, &mut p, StatusReason::AttestationUpdated);
		Providers::<T>::insert(provider, p);
		Ok(())
	}

	fn attestation_revoked(provider: &ProviderId) -> DispatchResult {
		let mut p = Providers::<T>::get(provider).ok_or(Error::<T>::UnknownProvider)?;
		p.attestation = None;
		Self::refresh_status(provider, &mut p, StatusReason::AttestationRevoked);
		Providers::<T>::insert(provider, p);
		Ok(())
	}
}
