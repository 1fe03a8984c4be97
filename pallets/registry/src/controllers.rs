//! Controller accounts: who may manage a provider. The origin checks of the management calls,
//! and [`ProviderControllers`] for the attestation pallet.

use crate::{Config, Error, Pallet, ProviderRecordOf, Providers};
use aicf_primitives::{traits::ProviderControllers, ProviderId, ProviderStatus};
use frame_support::{ensure, pallet_prelude::DispatchError};

impl<T: Config> Pallet<T> {
	/// The record of `provider` if `who` controls it (deregistered records included).
	pub(crate) fn ensure_controller(
		who: &T::AccountId,
		provider: &ProviderId,
	) -> Result<ProviderRecordOf<T>, DispatchError> {
		let record = Providers::<T>::get(provider).ok_or(Error::<T>::UnknownProvider)?;
		ensure!(record.controller == *who, Error::<T>::NotController);
		Ok(record)
	}

	/// The record of `provider` if `who` controls it and it has not deregistered.
	pub(crate) fn ensure_live_controller(
		who: &T::AccountId,
		provider: &ProviderId,
	) -> Result<ProviderRecordOf<T>, DispatchError> {
		let record = Self::ensure_controller(who, provider)?;
		ensure!(record.status != ProviderStatus::Deregistered, Error::<T>::ProviderDeregistered);
		Ok(record)
	}
}

/// The attestation pallet asks who may submit evidence for a provider.
impl<T: Config> ProviderControllers<T::AccountId> for Pallet<T> {
	fn controller(provider: &ProviderId) -> Option<T::AccountId> {
		Providers::<T>::get(provider)
			.filter(|r| r.status != ProviderStatus::Deregistered)
			.map(|r| r.controller)
	}
}
