//! # AICF Jobs Pallet
//!
//! A minimal but real matcher: the lease path of the shipped runtime, and the example matcher
//! authors copy. It uses the provider registry **only through its public traits**
//! (`aicf_primitives::traits`), exactly as any matcher pallet would:
//!
//! 1. `request_lease(requirements, price, duration)` — signed by whoever wants compute (the
//!    **requester**). The pallet asks [`ProviderEligibility::candidates`] for eligible providers
//!    and takes the first whose slot [`ProviderLeases::acquire_lease`] grants; the price moves
//!    from the requester into this pallet's escrow account; the lease's deadline is `duration`
//!    blocks away.
//! 2. The provider's **controller** settles it before the deadline:
//!    * `complete(lease, result_hash)`: the escrowed price moves to the registry's payout pot
//!      and is credited to the provider for the current settlement epoch
//!      ([`ProviderPayouts::credit`]); the lease is released as
//!      [`LeaseOutcome::Completed`]. The result hash is in the event, for the requester to check
//!      the delivered result against (a dispute goes to governance, `report_offence`).
//!    * `abandon(lease)`: the price goes back to the requester; released as
//!      [`LeaseOutcome::Abandoned`].
//! 3. Otherwise, at the deadline block, `on_initialize` times the lease out: the price goes
//!    back to the requester; released as [`LeaseOutcome::TimedOut`]. At most
//!    `MaxDeadlinesPerBlock` leases share a deadline block, so the hook is bounded.
//!
//! The registry counts each outcome in the provider's SLA window; failures over the window's
//! threshold are slashed when the window closes (the registry's `sla` module). The requester
//! cannot cause a failure: only the provider's controller settles, and a timeout means the
//! controller did nothing. A lease released by governance (`force_deregister`) can no longer be
//! completed or abandoned; its deadline refunds the requester.
//!
//! Weights: the calls are benchmarked in the runtime with the real registry underneath; on top,
//! `request_lease` is charged the registry's worst-case candidate walk and acquisitions
//! ([`Config::MatchWeight`]) and every settlement the registry's worst-case SLA window closing
//! ([`Config::SettlementWeight`]).

#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(test, allow(clippy::arithmetic_side_effects, clippy::indexing_slicing))]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

pub use weights::WeightInfo;

use aicf_primitives::ProviderId;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Lease identifier: assigned in order from 0.
pub type LeaseId = u64;

/// An open lease.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Lease<AccountId, Balance, BlockNumber> {
	/// Who asked for it and paid the price into escrow.
	pub requester: AccountId,
	/// The provider leased.
	pub provider: ProviderId,
	/// Paid to the provider on completion, back to the requester otherwise.
	pub price: Balance,
	/// Block it was granted at.
	pub granted: BlockNumber,
	/// Block at which it times out unless settled before.
	pub deadline: BlockNumber,
}

/// Benchmark setup supplied by the runtime: a provider the registry will lease.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Balance> {
	/// An ACTIVE provider with lease slots free, its controller, and requirements it meets.
	fn leasable_provider(
	) -> (ProviderId, AccountId, aicf_primitives::traits::JobRequirements<Balance>);
	/// Fund `who` with `amount` more than it needs for `amount`.
	fn fund(who: &AccountId, amount: Balance);
}

// FRAME's expansion of the pallet, storage and error declarations calls `expect`.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use aicf_primitives::traits::{
		JobRequirements, LeaseOutcome, ProviderControllers, ProviderEligibility, ProviderLeases,
		ProviderPayouts,
	};
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate},
			tokens::{Balance as BalanceT, Preservation},
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{
		AccountIdConversion, CheckedDiv, Saturating, UniqueSaturatedInto, Zero,
	};

	/// Lease type of a runtime.
	pub type LeaseOf<T> =
		Lease<<T as frame_system::Config>::AccountId, <T as Config>::Balance, BlockNumberFor<T>>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Currency of prices and payouts.
		type Currency: Inspect<Self::AccountId, Balance = Self::Balance> + Mutate<Self::AccountId>;
		/// Balance type of [`Config::Currency`].
		type Balance: BalanceT;
		/// Eligibility queries (the registry).
		type Eligibility: ProviderEligibility<Self::Balance>;
		/// Lease slots and outcomes (the registry).
		type Leases: ProviderLeases;
		/// Payout credits (the registry).
		type Payouts: ProviderPayouts<Self::Balance>;
		/// Provider controllers (the registry).
		type Controllers: ProviderControllers<Self::AccountId>;
		/// The account [`Config::Payouts`] pays credited earnings from (the registry's pot).
		type PayoutPot: Get<Self::AccountId>;
		/// Id of this pallet's escrow account.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Blocks in one settlement epoch: a completion is credited to epoch `block / this`.
		#[pallet::constant]
		type EpochBlocks: Get<BlockNumberFor<Self>>;
		/// Shortest lease duration, in blocks: a requester cannot ask for a lease that times
		/// out before its provider can act on it (a timeout counts against the provider).
		#[pallet::constant]
		type MinLeaseBlocks: Get<BlockNumberFor<Self>>;
		/// Longest lease duration, in blocks.
		#[pallet::constant]
		type MaxLeaseBlocks: Get<BlockNumberFor<Self>>;
		/// Smallest price of a lease (keeps escrow transfers above the existential deposit and
		/// requests from being free to spam).
		#[pallet::constant]
		type MinLeasePrice: Get<Self::Balance>;
		/// Most leases with the same deadline block (the timeout hook's bound).
		#[pallet::constant]
		type MaxDeadlinesPerBlock: Get<u32>;
		/// Candidates asked of the registry per request (each may be tried).
		#[pallet::constant]
		type CandidatesPerRequest: Get<u32>;
		/// Most regions a request may list.
		#[pallet::constant]
		type MaxRequestRegions: Get<u32>;
		/// Worst-case weight of the registry's part of a request beyond what the benchmark
		/// measured: `candidates(CandidatesPerRequest + skips)` and `CandidatesPerRequest`
		/// acquisitions.
		type MatchWeight: Get<Weight>;
		/// Worst-case weight of the registry's part of a settlement beyond what the benchmark
		/// measured: closing the provider's SLA window as a breach.
		type SettlementWeight: Get<Weight>;
		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
		/// Benchmark setup.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::Balance>;
	}

	/// Open leases by id; removed when settled or timed out.
	#[pallet::storage]
	pub type Leases<T: Config> = StorageMap<_, Twox64Concat, LeaseId, LeaseOf<T>, OptionQuery>;

	/// The next lease id.
	#[pallet::storage]
	pub type NextLeaseId<T: Config> = StorageValue<_, LeaseId, ValueQuery>;

	/// Open leases by deadline block; taken by `on_initialize` at that block.
	#[pallet::storage]
	pub type Deadlines<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<LeaseId, T::MaxDeadlinesPerBlock>,
		ValueQuery,
	>;

	/// Events.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A lease was granted.
		LeaseGranted {
			/// The lease.
			lease: LeaseId,
			/// Who pays.
			requester: T::AccountId,
			/// The provider leased.
			provider: ProviderId,
			/// Escrowed price.
			price: T::Balance,
			/// It times out at this block unless settled.
			deadline: BlockNumberFor<T>,
		},
		/// The provider completed a lease and was credited.
		LeaseCompleted {
			/// The lease.
			lease: LeaseId,
			/// The provider.
			provider: ProviderId,
			/// Settlement epoch credited.
			epoch: u64,
			/// Amount credited.
			price: T::Balance,
			/// Hash of the result the provider delivered off-chain.
			result_hash: [u8; 32],
		},
		/// The provider gave a lease up; the requester was refunded.
		LeaseAbandoned {
			/// The lease.
			lease: LeaseId,
			/// The provider.
			provider: ProviderId,
		},
		/// A lease reached its deadline unsettled; the requester was refunded.
		LeaseTimedOut {
			/// The lease.
			lease: LeaseId,
			/// The provider.
			provider: ProviderId,
		},
	}

	/// Errors. A failed call changes nothing.
	#[pallet::error]
	pub enum Error<T> {
		/// `duration` is below `MinLeaseBlocks` or above `MaxLeaseBlocks`.
		InvalidDuration,
		/// `price` is below `MinLeasePrice`.
		PriceTooLow,
		/// The request lists more than `MaxRequestRegions` regions.
		TooManyRegions,
		/// `MaxDeadlinesPerBlock` leases already end at that block; choose another duration.
		DeadlineFull,
		/// No eligible provider could be leased.
		NoCandidates,
		/// The requester cannot pay the price and keep its account alive.
		InsufficientBalance,
		/// No open lease with this id (never granted, settled or timed out).
		UnknownLease,
		/// The caller is not the leased provider's controller.
		NotProviderController,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Time out the leases whose deadline is this block (at most `MaxDeadlinesPerBlock`).
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			let due = Deadlines::<T>::take(n);
			let count = due.len() as u32;
			for lease in due {
				Self::time_out(lease);
			}
			T::WeightInfo::on_initialize(count)
				.saturating_add(T::SettlementWeight::get().saturating_mul(u64::from(count)))
		}

		fn integrity_test() {
			assert!(!T::EpochBlocks::get().is_zero(), "EpochBlocks must be positive");
			assert!(!T::MaxLeaseBlocks::get().is_zero(), "MaxLeaseBlocks must be positive");
			assert!(T::CandidatesPerRequest::get() > 0, "CandidatesPerRequest must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Lease an eligible provider for `duration` blocks at `price`.
		///
		/// Origin: signed (the requester). Asks the registry for up to `CandidatesPerRequest`
		/// providers meeting `requirements` and leases the first that grants a slot; the price
		/// is escrowed until the lease settles.
		///
		/// Errors: [`Error::InvalidDuration`], [`Error::PriceTooLow`],
		/// [`Error::TooManyRegions`], [`Error::DeadlineFull`], [`Error::NoCandidates`],
		/// [`Error::InsufficientBalance`]. Events: [`Event::LeaseGranted`], and the registry's
		/// `LeaseAcquired`.
		#[pallet::call_index(0)]
		// The lease's possible timeout is charged here, to the requester, not to the block
		// that reaches its deadline.
		#[pallet::weight(T::WeightInfo::request_lease()
			.saturating_add(T::MatchWeight::get())
			.saturating_add(T::WeightInfo::on_initialize(1))
			.saturating_add(T::SettlementWeight::get()))]
		pub fn request_lease(
			origin: OriginFor<T>,
			requirements: JobRequirements<T::Balance>,
			price: T::Balance,
			duration: BlockNumberFor<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(
				duration >= T::MinLeaseBlocks::get().max(1u32.into())
					&& duration <= T::MaxLeaseBlocks::get(),
				Error::<T>::InvalidDuration
			);
			ensure!(price >= T::MinLeasePrice::get(), Error::<T>::PriceTooLow);
			ensure!(
				requirements.regions.len() <= T::MaxRequestRegions::get() as usize,
				Error::<T>::TooManyRegions
			);
			let now = frame_system::Pallet::<T>::block_number();
			let deadline = now.saturating_add(duration);
			let mut due = Deadlines::<T>::get(deadline);
			ensure!((due.len() as u32) < T::MaxDeadlinesPerBlock::get(), Error::<T>::DeadlineFull);

			let (candidates, _) =
				T::Eligibility::candidates(&requirements, T::CandidatesPerRequest::get(), None);
			let provider = candidates
				.into_iter()
				.find(|p| T::Leases::acquire_lease(p).is_ok())
				.ok_or(Error::<T>::NoCandidates)?;
			T::Currency::transfer(&who, &Self::escrow_account(), price, Preservation::Preserve)
				.map_err(|_| Error::<T>::InsufficientBalance)?;

			let lease = NextLeaseId::<T>::mutate(|n| {
				let id = *n;
				*n = n.saturating_add(1);
				id
			});
			due.try_push(lease).map_err(|_| Error::<T>::DeadlineFull)?;
			Deadlines::<T>::insert(deadline, due);
			Leases::<T>::insert(
				lease,
				Lease { requester: who.clone(), provider, price, granted: now, deadline },
			);
			Self::deposit_event(Event::LeaseGranted {
				lease,
				requester: who,
				provider,
				price,
				deadline,
			});
			Ok(())
		}

		/// The provider delivered: credit the price for the current epoch and release the
		/// lease as completed.
		///
		/// Origin: the leased provider's controller. Errors: [`Error::UnknownLease`],
		/// [`Error::NotProviderController`], and the registry's (`NoOpenLease` if governance
		/// released the lease). The credit goes to the current settlement epoch, or to the
		/// next if governance has already paid the current one out.
		/// Events: [`Event::LeaseCompleted`], the registry's `LeaseReleased` and
		/// `PayoutCredited` (and `SlaWindowClosed` when the provider's window had ended).
		#[pallet::call_index(1)]
		// A second credit attempt (the epoch already paid out) reads and writes the payout
		// entry and the pending total again.
		#[pallet::weight(T::WeightInfo::complete()
			.saturating_add(T::SettlementWeight::get())
			.saturating_add(T::DbWeight::get().reads_writes(3, 2)))]
		pub fn complete(
			origin: OriginFor<T>,
			lease: LeaseId,
			result_hash: [u8; 32],
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let l = Self::settleable(&who, lease)?;
			T::Currency::transfer(
				&Self::escrow_account(),
				&T::PayoutPot::get(),
				l.price,
				Preservation::Expendable,
			)?;
			// If governance already paid this epoch out, the credit goes to the next one: a
			// completion never fails (and times out against the provider) for that.
			let current = Self::current_epoch();
			let epoch = match T::Payouts::credit(&l.provider, current, l.price) {
				Ok(()) => current,
				Err(_) => {
					let next = current.saturating_add(1);
					T::Payouts::credit(&l.provider, next, l.price)?;
					next
				},
			};
			T::Leases::release_lease(&l.provider, LeaseOutcome::Completed)?;
			Self::forget(lease, &l);
			Self::deposit_event(Event::LeaseCompleted {
				lease,
				provider: l.provider,
				epoch,
				price: l.price,
				result_hash,
			});
			Ok(())
		}

		/// The provider gives the lease up: the requester is refunded and the lease released
		/// as abandoned (counted against the provider in its SLA window).
		///
		/// Origin: the leased provider's controller. Errors: [`Error::UnknownLease`],
		/// [`Error::NotProviderController`], and the registry's (`NoOpenLease` if governance
		/// released the lease). Events: [`Event::LeaseAbandoned`], the registry's
		/// `LeaseReleased`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::abandon().saturating_add(T::SettlementWeight::get()))]
		pub fn abandon(origin: OriginFor<T>, lease: LeaseId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let l = Self::settleable(&who, lease)?;
			Self::refund(&l)?;
			T::Leases::release_lease(&l.provider, LeaseOutcome::Abandoned)?;
			Self::forget(lease, &l);
			Self::deposit_event(Event::LeaseAbandoned { lease, provider: l.provider });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The escrow account holding the prices of open leases.
		pub fn escrow_account() -> T::AccountId {
			T::PalletId::get().into_account_truncating()
		}

		/// The settlement epoch of the current block.
		pub fn current_epoch() -> u64 {
			let now = frame_system::Pallet::<T>::block_number();
			now.checked_div(&T::EpochBlocks::get()).unwrap_or_default().unique_saturated_into()
		}

		/// The open lease `lease` if `who` controls its provider.
		fn settleable(who: &T::AccountId, lease: LeaseId) -> Result<LeaseOf<T>, DispatchError> {
			let l = Leases::<T>::get(lease).ok_or(Error::<T>::UnknownLease)?;
			ensure!(
				T::Controllers::controller(&l.provider).as_ref() == Some(who),
				Error::<T>::NotProviderController
			);
			Ok(l)
		}

		fn refund(l: &LeaseOf<T>) -> DispatchResult {
			T::Currency::transfer(
				&Self::escrow_account(),
				&l.requester,
				l.price,
				Preservation::Expendable,
			)
			.map(|_| ())
		}

		/// Remove a settled lease and its deadline entry.
		fn forget(lease: LeaseId, l: &LeaseOf<T>) {
			Leases::<T>::remove(lease);
			Deadlines::<T>::mutate(l.deadline, |due| due.retain(|id| *id != lease));
		}

		/// Time a lease out (its deadline entry is already taken): refund, release as timed
		/// out. A lease governance already released (the provider was force-deregistered)
		/// is only refunded.
		pub(crate) fn time_out(lease: LeaseId) {
			let Some(l) = Leases::<T>::take(lease) else { return };
			// The escrow holds every open lease's price (invariant), so the refund cannot fail.
			let _ = Self::refund(&l);
			let _ = frame_support::storage::with_storage_layer(|| {
				T::Leases::release_lease(&l.provider, LeaseOutcome::TimedOut)
			});
			Self::deposit_event(Event::LeaseTimedOut { lease, provider: l.provider });
		}

		/// Invariants: every open lease is listed under its deadline, which is in the future;
		/// every deadline entry is an open lease; the escrow holds every open lease's price.
		#[cfg(any(test, feature = "try-runtime"))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let mut escrowed = T::Balance::zero();
			let now = frame_system::Pallet::<T>::block_number();
			for (id, l) in Leases::<T>::iter() {
				ensure!(l.deadline > now, "an open lease is past its deadline");
				ensure!(
					Deadlines::<T>::get(l.deadline).contains(&id),
					"an open lease is missing from its deadline"
				);
				escrowed = escrowed.saturating_add(l.price);
			}
			for (_, due) in Deadlines::<T>::iter() {
				for id in due {
					ensure!(Leases::<T>::contains_key(id), "a deadline names a settled lease");
				}
			}
			ensure!(
				T::Currency::balance(&Self::escrow_account()) >= escrowed,
				"the escrow does not cover the open leases"
			);
			Ok(())
		}
	}
}
