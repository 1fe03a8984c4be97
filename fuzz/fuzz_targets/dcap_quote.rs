//! Any bytes as a DCAP quote, checked against the verified fixture collateral (SGX and TDX):
//! nothing may panic, and no input may verify unless it carries a fixture quote's signatures.
//! Seed the corpus with the fixture quotes (`dcap/dcap-qvl/sample/sgx_quote`, `tdx_quote`).

#![no_main]

use std::sync::OnceLock;

use aicf_attestation_verify::dcap;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

struct Setup {
	root: Vec<u8>,
	sgx: dcap::VerifiedCollateral,
	tdx: dcap::VerifiedCollateral,
}

fn setup() -> &'static Setup {
	static S: OnceLock<Setup> = OnceLock::new();
	S.get_or_init(|| {
		let root = common::fixture("dcap/intel/TrustedRootCA.der");
		let col = |name: &str, t| {
			dcap::verify_collateral(&common::fixture(name), &root, t).expect("fixture collateral")
		};
		Setup {
			sgx: col("dcap/dcap-qvl/sample/sgx_quote_collateral.json", common::SGX_T),
			tdx: col("dcap/dcap-qvl/sample/tdx_quote_collateral.json", common::TDX_T),
			root,
		}
	})
}

fuzz_target!(|data: &[u8]| {
	let s = setup();
	let policy = common::permissive();
	let _ = dcap::quote_collateral_key(data);
	let _ = dcap::workload_of(data);
	let _ = dcap::verify_quote(data, &s.sgx, &s.root, &policy, &[0], common::SGX_T);
	let _ = dcap::verify_quote(data, &s.tdx, &s.root, &policy, &[0], common::TDX_T);
});
