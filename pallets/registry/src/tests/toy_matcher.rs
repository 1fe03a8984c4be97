//! A toy matcher pallet for the tests: it uses the registry only through the traits of
//! `aicf_primitives::traits`, as a real matcher or SLA pallet would.
//!
//! `post_job` walks `candidates` page by page and leases up to `wanted` providers;
//! `complete` releases a lease and credits the provider's earnings for an epoch; `abandon`
//! releases a lease and reports the abandonment as an offence.

pub use pallet::*;

#[frame_support::pallet(dev_mode)]
pub mod pallet {
	use aicf_primitives::{
		traits::{
			JobRequirements, Offence, ProviderEligibility, ProviderLeases, ProviderPayouts,
			ProviderPenalties,
		},
		ProviderId,
	};
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Balance of stakes and payouts.
		type Balance: Parameter + Copy;
		/// Eligibility queries.
		type Eligibility: ProviderEligibility<Self::Balance>;
		/// Lease accounting.
		type Leases: ProviderLeases;
		/// Penalties.
		type Penalties: ProviderPenalties;
		/// Payout crediting.
		type Payouts: ProviderPayouts<Self::Balance>;
	}

	/// Providers leased per job.
	#[pallet::storage]
	pub type Assigned<T: Config> =
		StorageMap<_, Twox64Concat, u64, BoundedVec<ProviderId, ConstU32<16>>, ValueQuery>;

	/// Next job id.
	#[pallet::storage]
	pub type NextJob<T: Config> = StorageValue<_, u64, ValueQuery>;

	#[pallet::error]
	pub enum Error<T> {
		/// No eligible provider.
		NoCandidates,
		/// The provider is not assigned to the job.
		NotAssigned,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Lease up to `wanted` (≤ 16) eligible providers for a new job.
		#[pallet::call_index(0)]
		pub fn post_job(
			origin: OriginFor<T>,
			requirements: JobRequirements<T::Balance>,
			wanted: u32,
			page: u32,
		) -> DispatchResult {
			ensure_signed(origin)?;
			let mut assigned = BoundedVec::<ProviderId, ConstU32<16>>::new();
			let mut cursor = None;
			// At most 8 pages, so the call stays bounded however the index looks.
			for _ in 0..8 {
				let (ids, next) = T::Eligibility::candidates(&requirements, page, cursor);
				for id in ids {
					if (assigned.len() as u32) < wanted.min(16)
						&& T::Leases::acquire_lease(&id).is_ok()
					{
						let _ = assigned.try_push(id);
					}
				}
				cursor = next;
				if cursor.is_none() || assigned.len() as u32 >= wanted.min(16) {
					break;
				}
			}
			ensure!(!assigned.is_empty(), Error::<T>::NoCandidates);
			let job = NextJob::<T>::mutate(|n| {
				let j = *n;
				*n = n.saturating_add(1);
				j
			});
			Assigned::<T>::insert(job, assigned);
			Ok(())
		}

		/// The provider finished its part: release its lease and credit `earned` for `epoch`.
		#[pallet::call_index(1)]
		pub fn complete(
			origin: OriginFor<T>,
			job: u64,
			provider: ProviderId,
			epoch: u64,
			earned: T::Balance,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::unassign(job, provider)?;
			T::Leases::release_lease(&provider)?;
			T::Payouts::credit(&provider, epoch, earned)
		}

		/// The provider abandoned the job: release its lease and report the offence.
		#[pallet::call_index(2)]
		pub fn abandon(origin: OriginFor<T>, job: u64, provider: ProviderId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::unassign(job, provider)?;
			T::Leases::release_lease(&provider)?;
			T::Penalties::report_offence(&provider, Offence::LeaseAbandoned)
		}
	}

	impl<T: Config> Pallet<T> {
		fn unassign(job: u64, provider: ProviderId) -> DispatchResult {
			Assigned::<T>::try_mutate(job, |a| {
				let before = a.len();
				a.retain(|p| *p != provider);
				ensure!(a.len() < before, Error::<T>::NotAssigned);
				Ok(())
			})
		}
	}
}
