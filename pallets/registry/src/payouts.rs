//! Payouts (spec §4.2, §11.1): settlement credits `(provider, epoch) → amount`; the provider's
//! controller is paid once, on `claim_payout`.
//!
//! Funds sit in the pallet's pot account ([`Pallet::pot_account`], derived from
//! `Config::PalletId`). A credit is accepted only while the pot, keeping its existential
//! deposit, covers every unclaimed credit ([`crate::PendingPayoutTotal`]), so a claim never
//! fails for lack of funds. Claimed entries stay in storage with the block they were claimed
//! at: an epoch is paid at most once.

use crate::{Config, Error, Event, Pallet, PendingPayoutTotal, Providers};
use aicf_primitives::{traits::ProviderPayouts, ProviderId};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::{Fortitude, Preservation},
	},
};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{AccountIdConversion, CheckedAdd, Saturating, Zero},
	DispatchResult,
};

/// One epoch's earnings of one provider.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Payout<Balance, BlockNumber> {
	/// Amount credited (credits for the same epoch add up until it is claimed).
	pub amount: Balance,
	/// Block of the claim; `None` while unclaimed.
	pub claimed_at: Option<BlockNumber>,
}

impl<T: Config> Pallet<T> {
	/// The account holding funds credited to providers and not yet claimed.
	pub fn pot_account() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// What the pot can pay out while keeping its existential deposit.
	pub fn pot_available() -> T::Balance {
		T::Currency::reducible_balance(
			&Self::pot_account(),
			Preservation::Preserve,
			Fortitude::Polite,
		)
	}

	pub(crate) fn do_credit(
		provider: ProviderId,
		epoch: u64,
		amount: T::Balance,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(Providers::<T>::contains_key(provider), Error::<T>::UnknownProvider);
		let mut entry = crate::Payouts::<T>::get(provider, epoch)
			.unwrap_or(Payout { amount: Zero::zero(), claimed_at: None });
		ensure!(entry.claimed_at.is_none(), Error::<T>::PayoutAlreadyClaimed);
		let total = PendingPayoutTotal::<T>::get()
			.checked_add(&amount)
			.ok_or(Error::<T>::PotUnderfunded)?;
		ensure!(Self::pot_available() >= total, Error::<T>::PotUnderfunded);
		entry.amount = entry.amount.saturating_add(amount);
		crate::Payouts::<T>::insert(provider, epoch, entry);
		PendingPayoutTotal::<T>::put(total);
		Self::deposit_event(Event::PayoutCredited { provider, epoch, amount });
		Ok(())
	}

	pub(crate) fn do_claim_payout(provider: ProviderId, epoch: u64) -> DispatchResult {
		let record = Providers::<T>::get(provider).ok_or(Error::<T>::UnknownProvider)?;
		let mut entry =
			crate::Payouts::<T>::get(provider, epoch).ok_or(Error::<T>::UnknownPayout)?;
		ensure!(entry.claimed_at.is_none(), Error::<T>::PayoutAlreadyClaimed);
		ensure!(Self::ledger(&provider).liabilities.is_zero(), Error::<T>::UnpaidLiabilities);
		T::Currency::transfer(
			&Self::pot_account(),
			&record.controller,
			entry.amount,
			Preservation::Preserve,
		)?;
		entry.claimed_at = Some(frame_system::Pallet::<T>::block_number());
		let amount = entry.amount;
		crate::Payouts::<T>::insert(provider, epoch, entry);
		PendingPayoutTotal::<T>::mutate(|t| *t = t.saturating_sub(amount));
		Self::deposit_event(Event::PayoutClaimed {
			provider,
			epoch,
			amount,
			controller: record.controller,
		});
		Ok(())
	}
}

impl<T: Config> ProviderPayouts<T::Balance> for Pallet<T> {
	/// Credit `amount` for `epoch`. Errors: `ZeroAmount`, `UnknownProvider`,
	/// `PayoutAlreadyClaimed`, `PotUnderfunded` (the pot does not cover every unclaimed
	/// credit plus this one). Emits `PayoutCredited`.
	fn credit(provider: &ProviderId, epoch: u64, amount: T::Balance) -> DispatchResult {
		Self::do_credit(*provider, epoch, amount)
	}
}
