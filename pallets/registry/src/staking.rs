//! Stake: bond, unbond with a linear unlock, rebond, withdraw.
//!
//! All of a provider's stake (bonded plus unbonding not yet withdrawn) is held on its
//! controller under [`HoldReason::ProviderStake`]; `withdraw` is the only place funds leave
//! the hold. A controller with several providers holds their sum under the one reason;
//! `do_try_state` checks that the hold equals the sum of its providers' ledgers.

use crate::{
	unlock, Config, Error, Event, HoldReason, Ledgers, Pallet, Providers, StatusReason,
	UnbondingChunk,
};
use aicf_primitives::ProviderId;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
		Get,
	},
};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_stake(
		who: T::AccountId,
		provider: ProviderId,
		amount: T::Balance,
	) -> DispatchResult {
		let mut record = Self::ensure_live_controller(&who, &provider)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let reducible =
			T::Currency::reducible_balance(&who, Preservation::Preserve, Fortitude::Polite);
		ensure!(reducible >= amount, Error::<T>::InsufficientBalance);
		T::Currency::hold(&HoldReason::ProviderStake.into(), &who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;

		let now = frame_system::Pallet::<T>::block_number();
		let mut ledger = Ledgers::<T>::get(provider).unwrap_or_default();
		ledger.bonded = ledger.bonded.saturating_add(amount);
		ledger.lock_until = now.saturating_add(T::StakeLockBlocks::get());
		Self::deposit_event(Event::Staked {
			provider,
			amount,
			bonded: ledger.bonded,
			lock_until: ledger.lock_until,
		});
		Ledgers::<T>::insert(provider, ledger);
		Self::refresh_status(&provider, &mut record, StatusReason::Staked);
		Providers::<T>::insert(provider, record);
		Ok(())
	}

	pub(crate) fn do_unstake(
		who: T::AccountId,
		provider: ProviderId,
		amount: T::Balance,
	) -> DispatchResult {
		let mut record = Self::ensure_live_controller(&who, &provider)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut ledger = Ledgers::<T>::get(provider).unwrap_or_default();
		ensure!(ledger.bonded >= amount, Error::<T>::InsufficientBonded);
		let now = frame_system::Pallet::<T>::block_number();
		let start = now.max(ledger.lock_until);
		let end = start.saturating_add(T::UnbondingBlocks::get());
		ledger
			.unbonding
			.try_push(UnbondingChunk { amount, withdrawn: Zero::zero(), start, end })
			.map_err(|_| Error::<T>::TooManyUnbondingChunks)?;
		ledger.bonded = ledger.bonded.saturating_sub(amount);
		Ledgers::<T>::insert(provider, ledger);
		Self::deposit_event(Event::Unbonding { provider, amount, start, end });
		Self::refresh_status(&provider, &mut record, StatusReason::UnstakeRequested);
		Providers::<T>::insert(provider, record);
		Ok(())
	}

	pub(crate) fn do_rebond(who: T::AccountId, provider: ProviderId) -> DispatchResult {
		let mut record = Self::ensure_live_controller(&who, &provider)?;
		let mut ledger = Ledgers::<T>::get(provider).unwrap_or_default();
		ensure!(!ledger.unbonding.is_empty(), Error::<T>::NothingToRebond);
		let amount = ledger.unbonding.iter().fold(T::Balance::zero(), |acc, c| {
			acc.saturating_add(c.amount.saturating_sub(c.withdrawn))
		});
		ledger.unbonding.clear();
		ledger.bonded = ledger.bonded.saturating_add(amount);
		Ledgers::<T>::insert(provider, ledger);
		Self::deposit_event(Event::Rebonded { provider, amount });
		Self::refresh_status(&provider, &mut record, StatusReason::Rebonded);
		Providers::<T>::insert(provider, record);
		Ok(())
	}

	/// What `withdraw` would release for `provider` at the current block.
	pub fn withdrawable(provider: &ProviderId) -> T::Balance {
		let now = frame_system::Pallet::<T>::block_number();
		Ledgers::<T>::get(provider)
			.map(|l| {
				l.unbonding.iter().fold(T::Balance::zero(), |acc, c| {
					acc.saturating_add(unlock::withdrawable_at(c, now))
				})
			})
			.unwrap_or_default()
	}

	pub(crate) fn do_withdraw(who: T::AccountId, provider: ProviderId) -> DispatchResult {
		let mut record = Self::ensure_controller(&who, &provider)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= record.cooldown_until, Error::<T>::InCooldown);
		let mut ledger = Ledgers::<T>::get(provider).unwrap_or_default();
		ensure!(ledger.liabilities.is_zero(), Error::<T>::UnpaidLiabilities);

		let mut total = T::Balance::zero();
		for chunk in ledger.unbonding.iter_mut() {
			let part = unlock::withdrawable_at(chunk, now);
			chunk.withdrawn = chunk.withdrawn.saturating_add(part);
			total = total.saturating_add(part);
		}
		ensure!(!total.is_zero(), Error::<T>::NothingToWithdraw);
		ledger.unbonding.retain(|c| c.withdrawn < c.amount);
		T::Currency::release(&HoldReason::ProviderStake.into(), &who, total, Precision::Exact)?;
		Ledgers::<T>::insert(provider, ledger);
		Self::deposit_event(Event::Withdrawn { provider, amount: total });
		Self::refresh_status(&provider, &mut record, StatusReason::Withdrawn);
		Providers::<T>::insert(provider, record);
		Ok(())
	}
}
