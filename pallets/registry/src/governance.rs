//! Governance's acts on a provider: jail without a slash (spec §5, JAILED entered by admin)
//! and forced offboarding for policy or compliance (spec §9).
//!
//! Neither is an offence: nothing is slashed and no health is taken. A forced deregistration
//! releases the provider's open leases as governance's act (matchers then see `NoOpenLease`
//! for them), starts unbonding its bonded stake, returns its registration deposit and keeps
//! its record; its funds stay held, and offences reportable, for
//! [`Config::OffenceReportWindow`](crate::Config::OffenceReportWindow) blocks.

use crate::{
	is_valid_reason, Config, Error, Event, GovernanceReason, Ledgers, Pallet, Providers,
	StatusReason, UnbondingChunk,
};
use aicf_primitives::{ProviderId, ProviderStatus};
use frame_support::{ensure, pallet_prelude::*, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_force_jail(
		provider: ProviderId,
		duration: BlockNumberFor<T>,
		reason: GovernanceReason,
	) -> DispatchResult {
		ensure!(is_valid_reason(&reason), Error::<T>::InvalidReason);
		ensure!(
			!duration.is_zero() && duration <= T::MaxGovernanceJailBlocks::get(),
			Error::<T>::InvalidJailDuration
		);
		let mut record = Providers::<T>::get(provider).ok_or(Error::<T>::UnknownProvider)?;
		ensure!(record.status != ProviderStatus::Deregistered, Error::<T>::ProviderDeregistered);
		Self::jail(&provider, &mut record, duration, StatusReason::Governance);
		let until = record.jailed_until.unwrap_or_default();
		Providers::<T>::insert(provider, record);
		Self::deposit_event(Event::ForceJailed { provider, until, reason });
		Ok(())
	}

	pub(crate) fn do_force_deregister(
		provider: ProviderId,
		reason: GovernanceReason,
	) -> DispatchResult {
		ensure!(is_valid_reason(&reason), Error::<T>::InvalidReason);
		let mut record = Providers::<T>::get(provider).ok_or(Error::<T>::UnknownProvider)?;
		ensure!(record.status != ProviderStatus::Deregistered, Error::<T>::ProviderDeregistered);

		let leases_released = core::mem::take(&mut record.leases_in_use);
		let unbonding = Self::unbond_everything(&provider);
		Self::offboard(&provider, &mut record, StatusReason::Governance)?;
		Providers::<T>::insert(provider, record);
		Self::deposit_event(Event::ForceDeregistered {
			provider,
			reason,
			leases_released,
			unbonding,
		});
		Ok(())
	}

	/// Move all of `provider`'s bonded stake to unbonding, unlocking like an `unstake` made
	/// now; returns the amount. With every unbonding slot taken, the amount joins the newest
	/// chunk, whose unlock restarts with the new schedule (later, never earlier); the
	/// `Unbonding` event then gives that chunk's schedule.
	fn unbond_everything(provider: &ProviderId) -> T::Balance {
		let mut ledger = Self::ledger(provider);
		let amount = ledger.bonded;
		if amount.is_zero() {
			return amount;
		}
		let now = frame_system::Pallet::<T>::block_number();
		let (start, end) = Self::unbonding_schedule(&ledger, now);
		let chunk = UnbondingChunk { amount, withdrawn: Zero::zero(), start, end };
		let (start, end) = match ledger.unbonding.try_push(chunk) {
			Ok(()) => (start, end),
			Err(chunk) => {
				// No slot at all (`MaxUnbondingChunks` = 0, which `integrity_test` refuses):
				// the stake stays bonded.
				let Some(newest) = ledger.unbonding.last_mut() else { return Zero::zero() };
				newest.amount = newest.amount.saturating_add(chunk.amount);
				newest.start = newest.start.max(start);
				newest.end = newest.end.max(end);
				(newest.start, newest.end)
			},
		};
		ledger.bonded = Zero::zero();
		Ledgers::<T>::insert(provider, ledger);
		Self::deposit_event(Event::Unbonding { provider: *provider, amount, start, end });
		amount
	}
}
