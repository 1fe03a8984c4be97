//! Any bytes as an Arm CCA token (CBOR tag 399 collection of two COSE_Sign1 tokens) against
//! the pinned test platform's trust anchor, and as the pinned anchor and key: nothing may panic, and no token other than
//! the fixture may verify. Seed the corpus with `cca/rust-ccatoken/testdata/cca-token-01.cbor`.

#![no_main]

use std::sync::OnceLock;

use aicf_attestation_verify::cca;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fn fixtures() -> &'static (Vec<u8>, Vec<u8>) {
	static F: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
	F.get_or_init(|| {
		(
			common::fixture("cca/ccatoken/realm/testvectors/tf-rmm/cca_platform.pub"),
			common::fixture("cca/rust-ccatoken/testdata/cca-token-01.cbor"),
		)
	})
}

fuzz_target!(|data: &[u8]| {
	let (cpak_raw, token) = fixtures();
	let cpak = aicf_attestation_verify::to_der(cpak_raw).unwrap_or_else(|_| cpak_raw.clone());
	let anchor = cca::TrustAnchor::encode(&cca::TFA_FVP_TEST_INSTANCE_ID, &cpak).expect("anchor");
	let policy = common::permissive();
	let ok = cca::verify(data, &[&anchor], &policy, &[], 0).is_ok();
	assert!(!ok || data == token.as_slice(), "a token other than the fixture verified");
	let _ = cca::platform_key(data);
	let _ = cca::workload_of(data);
	let _ = cca::TrustAnchor::decode(data);
	let _ = cca::verify(token, &[data], &policy, &[], 0);
});
