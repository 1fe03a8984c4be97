//! Providers set up for other pallets' benchmarks (the attestation pallet's, through the
//! runtime's benchmark helper).

use crate::{
	benchmarking::{largest_capabilities, pop_signature},
	Config, Error, Pallet, Providers,
};
use aicf_primitives::{crypto::bench, types::AiCapability, Capabilities, ProviderId};
use frame_support::{pallet_prelude::*, BoundedVec};
use sp_runtime::Permill;

impl<T: Config> Pallet<T> {
	/// Register a provider for other pallets' benchmarks: ML-DSA-65 key from `seed`
	/// (the deterministic benchmark keys of `aicf_primitives::crypto::bench`), AI
	/// capability, controlled by `controller`.
	pub fn benchmark_provider(
		controller: T::AccountId,
		seed: [u8; 32],
	) -> Result<ProviderId, DispatchError> {
		let key = bench::ml_dsa65_public(seed);
		let provider = key.provider_id();
		let sig = pop_signature::<T>(&controller, &key, |m| bench::ml_dsa65_sign(seed, m));
		let model = BoundedVec::truncate_from(b"llama3-8b".to_vec());
		let capabilities = Capabilities {
			ai: Some(AiCapability {
				models: BoundedVec::truncate_from(alloc::vec![model]),
				throughput_milli_tps: 1_000,
			}),
			quantum: None,
		};
		Self::do_register(
			controller,
			key,
			sig,
			capabilities,
			BoundedVec::truncate_from(b"us-west-2".to_vec()),
			BoundedVec::truncate_from(b"https://bench.example".to_vec()),
			BoundedVec::truncate_from(b"ops@bench.example".to_vec()),
		)?;
		Ok(provider)
	}

	/// A provider that an accepted attestation turns ACTIVE, for other pallets'
	/// benchmarks: registered through [`Self::benchmark_provider`], then given the largest
	/// capabilities (every model and trap family slot used), a recent heartbeat and the
	/// minimum stake, but no attestation. Recording its attestation is the registry's most
	/// expensive hand-over: the status changes and every index entry is written. The
	/// controller must hold the minimum stake.
	pub fn benchmark_provider_awaiting_attestation(
		controller: T::AccountId,
		seed: [u8; 32],
	) -> Result<ProviderId, DispatchError> {
		let provider = Self::benchmark_provider(controller.clone(), seed)?;
		let capabilities = largest_capabilities();
		let min = Self::min_required(&capabilities);
		let now = frame_system::Pallet::<T>::block_number();
		Providers::<T>::try_mutate(provider, |r| -> DispatchResult {
			let r = r.as_mut().ok_or(Error::<T>::UnknownProvider)?;
			Self::relist(&provider, (&r.capabilities, &r.region), (&capabilities, &r.region));
			r.capabilities = capabilities;
			r.last_heartbeat = Some(now);
			r.heartbeat.counter = 1;
			r.heartbeat.health = Permill::one();
			r.heartbeat.report.availability_bps = 10_000;
			r.heartbeat.report.leases_capacity = 8;
			Ok(())
		})?;
		Self::do_stake(controller, provider, min)?;
		Ok(provider)
	}
}
