//! Offences, slashing and liabilities (spec §8).
//!
//! An offence is reported by an SLA or matcher pallet through [`ProviderPenalties`], or by
//! governance through `report_offence`. The runtime's [`PenaltyPolicy`] maps it to a
//! [`Penalty`]: a slash fraction of the provider's stake (bonded plus unbonding), whether to
//! jail, a cooldown, and a health decay.
//!
//! The slash is taken from the held funds with `transfer_on_hold` to `SlashDestination`
//! (e.g. the treasury pot) — bonded stake first, then unbonding chunks, newest first. What the
//! held funds cannot cover becomes a **liability**: it blocks `withdraw` and `deregister` until
//! `pay_liability` settles it from the controller's free balance.
//!
//! No exit outruns a report: `withdraw` waits for every open lease to settle and then for
//! `OffenceReportWindow` blocks, and a deregistered provider can still be penalised while it
//! holds stake and until that window after its deregistration has passed (what nothing held
//! covers is recorded as a liability).

use crate::{Config, Error, Event, HoldReason, Ledgers, Pallet, Providers, StatusReason};
use aicf_primitives::{
	traits::{Offence, ProviderPenalties},
	ProviderId, ProviderStatus,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
		Get,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{Saturating, Zero},
	Perbill, Permill,
};

/// What an offence costs.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Penalty<Balance, BlockNumber> {
	/// Fraction of bonded plus unbonding stake slashed.
	pub slash: Perbill,
	/// Smallest amount slashed, whatever the stake; what the stake cannot cover is a liability.
	pub min_amount: Balance,
	/// Whether the provider is jailed.
	pub jail: bool,
	/// Blocks before funds may be released (and before `unjail`, if jailed).
	pub cooldown: BlockNumber,
	/// Multiplier applied to the stored health score (`Permill::one()` = unchanged).
	pub health_factor: Permill,
}

/// Maps an offence to its penalty; set by the runtime.
pub trait PenaltyPolicy<Balance, BlockNumber> {
	/// The penalty for `offence`.
	fn penalty(offence: &Offence) -> Penalty<Balance, BlockNumber>;
}

/// The default policy: invalid proof 10 % + jail, lease abandonment 1 % + health halved,
/// SLA breach 0.5 % × severity + jail at severity 3; cooldown `C` blocks each; an invalid
/// proof costs at least `M`.
pub struct DefaultPenaltyPolicy<C, M>(core::marker::PhantomData<(C, M)>);

impl<Balance: Zero, BlockNumber, C: Get<BlockNumber>, M: Get<Balance>>
	PenaltyPolicy<Balance, BlockNumber> for DefaultPenaltyPolicy<C, M>
{
	fn penalty(offence: &Offence) -> Penalty<Balance, BlockNumber> {
		match offence {
			Offence::InvalidProof => Penalty {
				slash: Perbill::from_percent(10),
				min_amount: M::get(),
				jail: true,
				cooldown: C::get(),
				health_factor: Permill::from_percent(50),
			},
			Offence::LeaseAbandoned => Penalty {
				slash: Perbill::from_percent(1),
				min_amount: Zero::zero(),
				jail: false,
				cooldown: C::get(),
				health_factor: Permill::from_percent(50),
			},
			Offence::SlaBreach { severity } => Penalty {
				slash: Perbill::from_parts(
					5_000_000u32.saturating_mul(u32::from((*severity).clamp(1, 3))),
				),
				min_amount: Zero::zero(),
				jail: *severity >= 3,
				cooldown: C::get(),
				health_factor: Permill::from_percent(80),
			},
		}
	}
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_report_offence(provider: ProviderId, offence: Offence) -> DispatchResult {
		if let Offence::SlaBreach { severity } = offence {
			ensure!((1..=3).contains(&severity), Error::<T>::InvalidSeverity);
		}
		let mut record = Providers::<T>::get(provider).ok_or(Error::<T>::UnknownProvider)?;
		let now = frame_system::Pallet::<T>::block_number();
		let mut ledger = Self::ledger(&provider);
		// A deregistered provider answers for what it did while it still holds stake, and
		// until its cooldown ends (the offence-report window after deregistration or its last
		// lease).
		let deregistered = record.status == ProviderStatus::Deregistered;
		ensure!(
			!deregistered || now < record.cooldown_until || !ledger.held().is_zero(),
			Error::<T>::ProviderDeregistered
		);
		let penalty = T::PenaltyPolicy::penalty(&offence);
		// A fraction of the held balance is at most that balance: no overflow (rounded to nearest).
		#[allow(clippy::arithmetic_side_effects)]
		let due = (penalty.slash * ledger.held()).max(penalty.min_amount);

		// Reduce the ledger: bonded first, then the newest unbonding chunks.
		let mut rest = due;
		let from_bonded = rest.min(ledger.bonded);
		ledger.bonded = ledger.bonded.saturating_sub(from_bonded);
		rest = rest.saturating_sub(from_bonded);
		for chunk in ledger.unbonding.iter_mut().rev() {
			let take = rest.min(chunk.remaining());
			chunk.amount = chunk.amount.saturating_sub(take);
			rest = rest.saturating_sub(take);
		}
		ledger.unbonding.retain(|c| c.withdrawn < c.amount);
		let taken = due.saturating_sub(rest);
		let moved = if taken.is_zero() {
			Zero::zero()
		} else {
			T::Currency::transfer_on_hold(
				&HoldReason::ProviderStake.into(),
				&record.controller,
				&T::SlashDestination::get(),
				taken,
				Precision::BestEffort,
				Restriction::Free,
				Fortitude::Force,
			)?
		};
		// Anything the hold could not cover (rounding aside, only if funds moved elsewhere) is
		// owed, as is the part of the slash the stake could not cover.
		let shortfall = due.saturating_sub(moved);
		ledger.liabilities = ledger.liabilities.saturating_add(shortfall);
		Ledgers::<T>::insert(provider, ledger);

		record.heartbeat.health = record.heartbeat.health.saturating_mul(penalty.health_factor);
		// A deregistered provider's window is fixed: reports do not keep it open.
		if !deregistered {
			record.cooldown_until = record.cooldown_until.max(now.saturating_add(penalty.cooldown));
		}
		Self::deposit_event(Event::OffenceReported { provider, offence });
		Self::deposit_event(Event::Slashed { provider, amount: moved, liability: shortfall });
		// DEREGISTERED is terminal: nothing to jail or re-decide.
		if !deregistered {
			if penalty.jail {
				Self::jail(&provider, &mut record, penalty.cooldown, StatusReason::Slashed);
			} else {
				Self::refresh_status(&provider, &mut record, StatusReason::Slashed);
			}
		}
		Providers::<T>::insert(provider, record);
		Ok(())
	}

	pub(crate) fn do_pay_liability(
		who: T::AccountId,
		provider: ProviderId,
		amount: T::Balance,
	) -> DispatchResult {
		let record = Self::ensure_controller(&who, &provider)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut ledger = Self::ledger(&provider);
		ensure!(!ledger.liabilities.is_zero(), Error::<T>::NoLiabilities);
		let pay = amount.min(ledger.liabilities);
		T::Currency::transfer(
			&record.controller,
			&T::SlashDestination::get(),
			pay,
			Preservation::Preserve,
		)
		.map_err(|_| Error::<T>::InsufficientBalance)?;
		ledger.liabilities = ledger.liabilities.saturating_sub(pay);
		let remaining = ledger.liabilities;
		Ledgers::<T>::insert(provider, ledger);
		Self::deposit_event(Event::LiabilityPaid { provider, amount: pay, remaining });
		Ok(())
	}
}

impl<T: Config> ProviderPenalties for Pallet<T> {
	fn report_offence(provider: &ProviderId, offence: Offence) -> DispatchResult {
		frame_support::storage::with_storage_layer(|| Self::do_report_offence(*provider, offence))
	}
}

/// Penalty type of a runtime.
pub type PenaltyOf<T> = Penalty<<T as Config>::Balance, BlockNumberFor<T>>;
