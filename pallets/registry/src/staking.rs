//! Stake: the ledger of each provider, the minimum its capabilities require, and bond,
//! unbond with a linear unlock ([`crate::unlock`]), rebond, withdraw.
//!
//! All of a provider's stake (bonded plus unbonding not yet withdrawn) is held on its
//! controller under [`HoldReason::ProviderStake`]; `withdraw` is the only place funds leave
//! the hold. A controller with several providers holds their sum under the one reason;
//! `do_try_state` checks that the hold equals the sum of its providers' ledgers.

use crate::{
	Config, Error, Event, HoldReason, Ledgers, Pallet, Providers, StakeLedgerOf, StatusReason,
	UnbondingChunk,
};
use aicf_primitives::{Capabilities, CapabilityKind, ProviderId};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
		Get,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// The stake ledger of `provider`; empty if it never staked.
	pub fn ledger(provider: &ProviderId) -> StakeLedgerOf<T> {
		Ledgers::<T>::get(provider).unwrap_or_default()
	}

	/// Bonded stake a provider with `capabilities` needs: the largest declared minimum.
	pub fn min_required(capabilities: &Capabilities) -> T::Balance {
		let mut min = T::Balance::zero();
		if capabilities.has(CapabilityKind::Ai) {
			min = min.max(T::MinStakeAi::get());
		}
		if capabilities.has(CapabilityKind::Quantum) {
			min = min.max(T::MinStakeQuantum::get());
		}
		min
	}

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
		let mut ledger = Self::ledger(&provider);
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
		let mut ledger = Self::ledger(&provider);
		ensure!(ledger.bonded >= amount, Error::<T>::InsufficientBonded);
		let now = frame_system::Pallet::<T>::block_number();
		let (start, end) = Self::unbonding_schedule(&ledger, now);
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
		let mut ledger = Self::ledger(&provider);
		ensure!(!ledger.unbonding.is_empty(), Error::<T>::NothingToRebond);
		let amount = ledger.unbonding_remaining();
		ledger.unbonding.clear();
		ledger.bonded = ledger.bonded.saturating_add(amount);
		Ledgers::<T>::insert(provider, ledger);
		Self::deposit_event(Event::Rebonded { provider, amount });
		Self::refresh_status(&provider, &mut record, StatusReason::Rebonded);
		Providers::<T>::insert(provider, record);
		Ok(())
	}

	/// When stake unbonded at `now` starts and ends unlocking: from `max(now, lock_until)` over
	/// `UnbondingBlocks`.
	pub(crate) fn unbonding_schedule(
		ledger: &StakeLedgerOf<T>,
		now: BlockNumberFor<T>,
	) -> (BlockNumberFor<T>, BlockNumberFor<T>) {
		let start = now.max(ledger.lock_until);
		(start, start.saturating_add(T::UnbondingBlocks::get()))
	}

	/// What `withdraw` would release for `provider` at the current block.
	pub fn withdrawable(provider: &ProviderId) -> T::Balance {
		Self::ledger(provider).withdrawable_at(frame_system::Pallet::<T>::block_number())
	}

	/// Returns `true` when an ended SLA window was closed as a breach first: its penalty is
	/// applied and nothing is withdrawn.
	pub(crate) fn do_withdraw(
		who: T::AccountId,
		provider: ProviderId,
	) -> Result<bool, DispatchError> {
		let mut record = Self::ensure_controller(&who, &provider)?;
		ensure!(record.leases_in_use == 0, Error::<T>::OpenLeases);
		if Self::close_sla_window(&provider) {
			return Ok(true);
		}
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= record.cooldown_until, Error::<T>::InCooldown);
		let mut ledger = Self::ledger(&provider);
		ensure!(ledger.liabilities.is_zero(), Error::<T>::UnpaidLiabilities);

		let total = ledger.take_unlocked(now);
		ensure!(!total.is_zero(), Error::<T>::NothingToWithdraw);
		T::Currency::release(&HoldReason::ProviderStake.into(), &who, total, Precision::Exact)?;
		Ledgers::<T>::insert(provider, ledger);
		Self::deposit_event(Event::Withdrawn { provider, amount: total });
		Self::refresh_status(&provider, &mut record, StatusReason::Withdrawn);
		Providers::<T>::insert(provider, record);
		Ok(false)
	}
}
