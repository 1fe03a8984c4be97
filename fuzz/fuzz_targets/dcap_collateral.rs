//! Any bytes as DCAP collateral (JSON or SCALE) against the Intel root, and as the root for the
//! fixture collateral: nothing may panic. Seed the corpus with the fixture collateral
//! (`dcap/dcap-qvl/sample/*_collateral.json`).

#![no_main]

use std::sync::OnceLock;

use aicf_attestation_verify::dcap;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fn fixtures() -> &'static (Vec<u8>, Vec<u8>) {
	static F: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
	F.get_or_init(|| {
		(
			common::fixture("dcap/intel/TrustedRootCA.der"),
			common::fixture("dcap/dcap-qvl/sample/tdx_quote_collateral.json"),
		)
	})
}

fuzz_target!(|data: &[u8]| {
	let (root, collateral) = fixtures();
	let _ = dcap::verify_collateral(data, root, common::TDX_T);
	let _ = dcap::verify_collateral(collateral, data, common::TDX_T);
});
