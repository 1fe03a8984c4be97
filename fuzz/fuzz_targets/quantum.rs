//! Any bytes as a quantum provider's identity evidence (concatenated DER certificates, split
//! by `split_der`) against the development facility root, and as the pinned root: nothing may
//! panic, and nothing may verify (no input carries a signature of the facility key); and as
//! the certificate whose names select the root (`name_hashes`). Seed the
//! corpus with `pallets/attestation/dev/quantum-bench-leaf.der`.

#![no_main]

use aicf_attestation_verify::{quantum, split_der};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const ROOT: &[u8] = include_bytes!("../../pallets/attestation/dev/quantum-facility-root.der");
const LEAF: &[u8] = include_bytes!("../../pallets/attestation/dev/quantum-bench-leaf.der");

fuzz_target!(|data: &[u8]| {
	let policy = common::permissive();
	if let Ok(chain) = split_der(data) {
		let ok = quantum::verify(&chain, &[ROOT], &policy, &[], 1_767_225_600).is_ok();
		assert!(!ok || data.starts_with(LEAF), "a chain without the facility's leaf verified");
	}
	let _ = quantum::verify(&[LEAF], &[data], &policy, &[], 1_767_225_600);
	// How the pallet picks the root a chain names, and checks a root it pins.
	let _ = aicf_attestation_verify::name_hashes(data);
	let _ = aicf_attestation_verify::check_root(data);
});
