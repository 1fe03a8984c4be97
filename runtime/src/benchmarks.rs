//! Runtime benchmarks (feature `runtime-benchmarks`), driven by
//! `aicf-node benchmark pallet`.
//!

use crate::{
	AicfAttestation, AicfJobs, AicfRegistry, AllPalletsWithSystem, Balances, Runtime, Sudo,
	Timestamp,
};
use alloc::{string::String, vec::Vec};
use frame_benchmarking::{BenchmarkBatch, BenchmarkConfig, BenchmarkList};
use frame_support::traits::{
	StorageInfo, StorageInfoTrait, TrackedStorageKey, WhitelistedStorageKeys,
};

type BaselineBench = frame_benchmarking::baseline::Pallet<Runtime>;
type SystemBench = frame_system_benchmarking::Pallet<Runtime>;
type SystemExtensionsBench = frame_system_benchmarking::extensions::Pallet<Runtime>;

impl frame_benchmarking::baseline::Config for Runtime {}
impl frame_system_benchmarking::Config for Runtime {}

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench]
	[frame_system, SystemBench]
	[frame_system_extensions, SystemExtensionsBench]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_aicf_registry, AicfRegistry]
	[pallet_aicf_attestation, AicfAttestation]
	[pallet_aicf_jobs, AicfJobs]
);

/// Implementation of `Benchmark::benchmark_metadata`.
pub fn benchmark_metadata(extra: bool) -> (Vec<BenchmarkList>, Vec<StorageInfo>) {
	let mut list = Vec::<BenchmarkList>::new();
	list_benchmarks!(list, extra);
	let storage_info = AllPalletsWithSystem::storage_info();
	(list, storage_info)
}

/// Implementation of `Benchmark::dispatch_benchmark`.
pub fn dispatch_benchmark(config: BenchmarkConfig) -> Result<Vec<BenchmarkBatch>, String> {
	let whitelist: Vec<TrackedStorageKey> = AllPalletsWithSystem::whitelisted_storage_keys();
	let mut batches = Vec::<BenchmarkBatch>::new();
	let params = (&config, &whitelist);
	add_benchmarks!(params, batches);
	Ok(batches)
}
