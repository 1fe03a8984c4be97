//! Benchmarks, run in the runtime with the real registry underneath (its setup through
//! [`BenchmarkHelper`](crate::BenchmarkHelper)).

#![allow(clippy::expect_used, clippy::arithmetic_side_effects)]

use super::*;
use crate::Pallet as Jobs;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Inspect, Get, Hooks};
use frame_system::RawOrigin;
use sp_runtime::traits::Saturating;

fn price<T: Config>() -> T::Balance {
	T::MinLeasePrice::get().saturating_mul(10u32.into())
}

/// A requester with funds and a granted lease on a fresh provider; returns the lease id and the
/// provider's controller.
fn granted<T: Config>(requester: &T::AccountId) -> (LeaseId, T::AccountId) {
	let (_, controller, requirements) = T::BenchmarkHelper::leasable_provider();
	T::BenchmarkHelper::fund(requester, price::<T>());
	Jobs::<T>::request_lease(
		RawOrigin::Signed(requester.clone()).into(),
		requirements,
		price::<T>(),
		T::MinLeaseBlocks::get(),
	)
	.expect("a leasable provider");
	(NextLeaseId::<T>::get() - 1, controller)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A request that leases the provider the registry offers.
	#[benchmark]
	fn request_lease() {
		let (provider, _, requirements) = T::BenchmarkHelper::leasable_provider();
		let requester: T::AccountId = whitelisted_caller();
		T::BenchmarkHelper::fund(&requester, price::<T>());

		#[extrinsic_call]
		_(RawOrigin::Signed(requester), requirements, price::<T>(), T::MinLeaseBlocks::get());

		assert_eq!(Leases::<T>::get(0).map(|l| l.provider), Some(provider));
	}

	/// Completion: escrow to the pot, credit, release.
	#[benchmark]
	fn complete() {
		let requester: T::AccountId = account("requester", 0, 0);
		let (lease, controller) = granted::<T>(&requester);

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), lease, [7u8; 32]);

		assert!(Leases::<T>::get(lease).is_none());
		assert!(T::Currency::balance(&T::PayoutPot::get()) >= price::<T>());
	}

	/// Abandonment: refund, release.
	#[benchmark]
	fn abandon() {
		let requester: T::AccountId = account("requester", 0, 0);
		let (lease, controller) = granted::<T>(&requester);

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), lease);

		assert!(Leases::<T>::get(lease).is_none());
	}

	/// `n` leases, each on its own provider, time out in one block.
	#[benchmark]
	fn on_initialize(n: Linear<0, { T::MaxDeadlinesPerBlock::get() }>) {
		let requester: T::AccountId = account("requester", 0, 0);
		for _ in 0..n {
			granted::<T>(&requester);
		}
		let at = frame_system::Pallet::<T>::block_number() + T::MinLeaseBlocks::get();
		frame_system::Pallet::<T>::set_block_number(at);

		#[block]
		{
			Jobs::<T>::on_initialize(at);
		}

		assert_eq!(Leases::<T>::iter().count(), 0);
	}

	impl_benchmark_test_suite!(Jobs, crate::mock::new_test_ext(), crate::mock::Test);
}
