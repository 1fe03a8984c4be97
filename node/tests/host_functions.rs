//! The runtime wasm needs the `aicf_crypto` host functions: an executor with only Substrate's
//! host functions cannot instantiate it, one with the node's set can.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use sc_executor::{HostFunctions, RuntimeVersion, RuntimeVersionOf, WasmExecutor};
use sp_core::traits::{RuntimeCode, WrappedRuntimeCode};

#[cfg(not(feature = "runtime-benchmarks"))]
type NodeHostFunctions =
	(sp_io::SubstrateHostFunctions, aicf_primitives::host::aicf_crypto::HostFunctions);
// A runtime built with `runtime-benchmarks` also imports frame-benchmarking's host functions.
#[cfg(feature = "runtime-benchmarks")]
type NodeHostFunctions = (
	sp_io::SubstrateHostFunctions,
	aicf_primitives::host::aicf_crypto::HostFunctions,
	frame_benchmarking::benchmarking::HostFunctions,
);

fn runtime_version<H: HostFunctions>() -> Result<RuntimeVersion, String> {
	let wasm = aicf_runtime::WASM_BINARY.expect("the runtime wasm is built for the node's tests");
	let code = WrappedRuntimeCode(wasm.into());
	let runtime_code = RuntimeCode { code_fetcher: &code, heap_pages: None, hash: vec![1, 2, 3] };
	let executor = WasmExecutor::<H>::builder().build();
	let mut ext = sp_io::TestExternalities::default();
	let mut ext = ext.ext();
	executor.runtime_version(&mut ext, &runtime_code).map_err(|e| e.to_string())
}

#[test]
fn the_runtime_instantiates_with_the_node_host_functions() {
	let version = runtime_version::<NodeHostFunctions>().unwrap();
	assert_eq!(version.spec_name, "aicf");
}

#[test]
fn the_runtime_does_not_instantiate_without_the_aicf_crypto_host_functions() {
	let err = runtime_version::<sp_io::SubstrateHostFunctions>().unwrap_err();
	assert!(err.contains("ext_aicf_crypto_"), "unexpected error: {err}");
}
