//! Lease accounting against each provider's quota ([`ProviderLeases`]).
//!
//! [`ProviderLeases::acquire_lease`] takes one of the provider's `min(declared capacity,
//! MaxConcurrentLeases)` slots ([`Pallet::max_concurrent`]); [`ProviderLeases::release_lease`]
//! returns one with the lease's [`LeaseOutcome`], which the provider's SLA window counts
//! ([`crate::sla`]: failures over the window's threshold are a breach when it closes). Open
//! leases block deregistration and withdrawals, and so does the offence-report window after
//! the last one settles ([`Config::OffenceReportWindow`](crate::Config::OffenceReportWindow)).

use crate::{Config, Error, Event, Pallet, ProviderRecordOf, Providers};
use aicf_primitives::{
	traits::{LeaseOutcome, ProviderLeases},
	ProviderId,
};
use frame_support::{ensure, pallet_prelude::DispatchResult, traits::Get};
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// Concurrent leases `record` may hold: its declared capacity, capped by
	/// `MaxConcurrentLeases`.
	pub fn max_concurrent(record: &ProviderRecordOf<T>) -> u32 {
		record.heartbeat.report.leases_capacity.min(T::MaxConcurrentLeases::get())
	}
}

impl<T: Config> ProviderLeases for Pallet<T> {
	/// Take a lease slot. Errors: `UnknownProvider`, `ProviderNotActive` (not ACTIVE at this
	/// block), `LeaseQuotaFull`. Emits `LeaseAcquired`.
	fn acquire_lease(provider: &ProviderId) -> DispatchResult {
		let mut record = Providers::<T>::get(provider).ok_or(Error::<T>::UnknownProvider)?;
		Self::live_active(provider, &record, &Self::ledger(provider))
			.map_err(|_| Error::<T>::ProviderNotActive)?;
		ensure!(record.leases_in_use < Self::max_concurrent(&record), Error::<T>::LeaseQuotaFull);
		record.leases_in_use = record.leases_in_use.saturating_add(1);
		let in_use = record.leases_in_use;
		Providers::<T>::insert(provider, record);
		Self::deposit_event(Event::LeaseAcquired { provider: *provider, in_use });
		Ok(())
	}

	/// Return a lease slot and count its outcome in the provider's SLA window, closing the
	/// window first if it has ended (which may penalise a breach: weight at most
	/// `release_lease + close_sla_window`). Errors: `UnknownProvider`, `NoOpenLease`. Emits
	/// `LeaseReleased` (and `SlaWindowClosed`, `OffenceReported`, `Slashed` when a window
	/// closes as a breach). The provider's funds stay held for `OffenceReportWindow` blocks
	/// from here, so an offence on this lease can still be reported and slashed.
	fn release_lease(provider: &ProviderId, outcome: LeaseOutcome) -> DispatchResult {
		let mut record = Providers::<T>::get(provider).ok_or(Error::<T>::UnknownProvider)?;
		ensure!(record.leases_in_use > 0, Error::<T>::NoOpenLease);
		if Self::count_lease_outcome(provider, outcome) {
			// A breach's penalty changed the record.
			record = Providers::<T>::get(provider).ok_or(Error::<T>::UnknownProvider)?;
		}
		record.leases_in_use = record.leases_in_use.saturating_sub(1);
		let now = frame_system::Pallet::<T>::block_number();
		record.cooldown_until =
			record.cooldown_until.max(now.saturating_add(T::OffenceReportWindow::get()));
		let in_use = record.leases_in_use;
		Providers::<T>::insert(provider, record);
		Self::deposit_event(Event::LeaseReleased { provider: *provider, in_use });
		Ok(())
	}
}
