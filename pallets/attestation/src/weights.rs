//! Weights of `pallet_aicf_attestation`.
//!
//! Regenerated on the reference machine by `scripts/benchmark-weights.sh`.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::ParityDbWeight, Weight},
};

/// Weight functions needed for `pallet_aicf_attestation`.
pub trait WeightInfo {
	fn add_root() -> Weight;
	fn remove_root() -> Weight;
	fn set_policy() -> Weight;
	fn upload_collateral() -> Weight;
	fn verify_sgx() -> Weight;
	fn verify_tdx() -> Weight;
	fn verify_sev_snp() -> Weight;
	fn verify_cca() -> Weight;
	fn verify_quantum() -> Weight;
	fn record_attestation() -> Weight;
	fn revalidate() -> Weight;
}

/// Weights for `pallet_aicf_attestation` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn add_root() -> Weight {
		Weight::from_parts(30_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn remove_root() -> Weight {
		Weight::from_parts(25_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn set_policy() -> Weight {
		Weight::from_parts(20_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(0_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn upload_collateral() -> Weight {
		Weight::from_parts(60000_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn verify_sgx() -> Weight {
		Weight::from_parts(6000_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(0_u64))
	}
	fn verify_tdx() -> Weight {
		Weight::from_parts(6000_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(0_u64))
	}
	fn verify_sev_snp() -> Weight {
		Weight::from_parts(12000_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(0_u64))
	}
	fn verify_cca() -> Weight {
		Weight::from_parts(6000_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(0_u64))
	}
	fn verify_quantum() -> Weight {
		Weight::from_parts(6000_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(0_u64))
	}
	fn record_attestation() -> Weight {
		Weight::from_parts(80_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn revalidate() -> Weight {
		Weight::from_parts(80_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
}

// For tests.
impl WeightInfo for () {
	fn add_root() -> Weight {
		Weight::from_parts(30_000_000, 20_000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn remove_root() -> Weight {
		Weight::from_parts(25_000_000, 20_000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn set_policy() -> Weight {
		Weight::from_parts(20_000_000, 20_000)
			.saturating_add(ParityDbWeight::get().reads(0_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn upload_collateral() -> Weight {
		Weight::from_parts(60000_000_000, 20_000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn verify_sgx() -> Weight {
		Weight::from_parts(6000_000_000, 20_000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(0_u64))
	}
	fn verify_tdx() -> Weight {
		Weight::from_parts(6000_000_000, 20_000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(0_u64))
	}
	fn verify_sev_snp() -> Weight {
		Weight::from_parts(12000_000_000, 20_000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(0_u64))
	}
	fn verify_cca() -> Weight {
		Weight::from_parts(6000_000_000, 20_000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(0_u64))
	}
	fn verify_quantum() -> Weight {
		Weight::from_parts(6000_000_000, 20_000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(0_u64))
	}
	fn record_attestation() -> Weight {
		Weight::from_parts(80_000_000, 20_000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn revalidate() -> Weight {
		Weight::from_parts(80_000_000, 20_000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
}
