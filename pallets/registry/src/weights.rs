//! Weights of `pallet-aicf-registry`.
//!
//! Regenerate with `scripts/benchmark-weights.sh` (runs `aicf-node benchmark pallet` on the
//! real runtime). The `()` implementation is for tests only; the runtime uses
//! [`SubstrateWeight`].

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet-aicf-registry`.
pub trait WeightInfo {
	fn register_ml_dsa() -> Weight;
	fn register_slh_dsa() -> Weight;
	fn update_capabilities() -> Weight;
	fn update_endpoint() -> Weight;
	fn update_region() -> Weight;
	fn rotate_key() -> Weight;
	fn stake() -> Weight;
	fn unstake() -> Weight;
	fn rebond() -> Weight;
	fn withdraw() -> Weight;
	fn deregister() -> Weight;
	fn heartbeat_ml_dsa() -> Weight;
	fn heartbeat_slh_dsa() -> Weight;
	fn authorize_heartbeat_ml_dsa() -> Weight;
	fn authorize_heartbeat_slh_dsa() -> Weight;
	fn report_unresponsive() -> Weight;
	fn unjail() -> Weight;
	fn report_offence() -> Weight;
	fn pay_liability() -> Weight;
	fn sweep_item() -> Weight;
}

/// Weights for `pallet-aicf-registry` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_ml_dsa() -> Weight {
		Weight::from_parts(1_000_000_000, 12_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn register_slh_dsa() -> Weight {
		Weight::from_parts(1_000_000_000, 12_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn update_capabilities() -> Weight {
		Weight::from_parts(1_000_000_000, 12_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn update_endpoint() -> Weight {
		Weight::from_parts(1_000_000_000, 12_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn update_region() -> Weight {
		Weight::from_parts(1_000_000_000, 12_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn rotate_key() -> Weight {
		Weight::from_parts(2_000_000_000, 12_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn stake() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn unstake() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn rebond() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn withdraw() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn deregister() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn heartbeat_ml_dsa() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn heartbeat_slh_dsa() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn authorize_heartbeat_ml_dsa() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
	}
	fn authorize_heartbeat_slh_dsa() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
	}
	fn report_unresponsive() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn unjail() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn report_offence() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn pay_liability() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn sweep_item() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
}

impl WeightInfo for () {
	fn register_ml_dsa() -> Weight {
		Weight::from_parts(1_000_000_000, 12_000)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn register_slh_dsa() -> Weight {
		Weight::from_parts(1_000_000_000, 12_000)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn update_capabilities() -> Weight {
		Weight::from_parts(1_000_000_000, 12_000)
	}
	fn update_endpoint() -> Weight {
		Weight::from_parts(1_000_000_000, 12_000)
	}
	fn update_region() -> Weight {
		Weight::from_parts(1_000_000_000, 12_000)
	}
	fn rotate_key() -> Weight {
		Weight::from_parts(2_000_000_000, 12_000)
	}
	fn stake() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
	}
	fn unstake() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
	}
	fn rebond() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
	}
	fn withdraw() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
	}
	fn deregister() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
	}
	fn heartbeat_ml_dsa() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
	}
	fn heartbeat_slh_dsa() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
	}
	fn authorize_heartbeat_ml_dsa() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
	}
	fn authorize_heartbeat_slh_dsa() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
	}
	fn report_unresponsive() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
	}
	fn unjail() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
	}
	fn report_offence() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
	}
	fn pay_liability() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
	}
	fn sweep_item() -> Weight {
		Weight::from_parts(100_000_000, 8_000)
	}
}
