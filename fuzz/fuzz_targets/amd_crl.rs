//! Any bytes as an AMD CRL against the development ARK and AMD's Milan ARK, and as the pinned
//! ARK; any bytes as a certificate for `revocation_id`. Nothing may panic, and nothing may
//! verify unless it says exactly what the seed list says (same signed bytes, same verdict).
//! Seed the corpus with `pallets/attestation/dev/amd-crl-seed.der`.

#![no_main]

use std::sync::OnceLock;

use aicf_attestation_verify::{amd_crl, to_der};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const DEV_ARK: &[u8] = include_bytes!("../../pallets/attestation/dev/amd-dev-ark.der");
const SEED: &[u8] = include_bytes!("../../pallets/attestation/dev/amd-crl-seed.der");
/// Inside the seed list's window (2026-01-01 to 2046-01-01).
const T: u64 = 1_767_225_600 + 86_400;

struct Setup {
	milan_ark: Vec<u8>,
	seed: amd_crl::VerifiedAmdCrl,
}

fn setup() -> &'static Setup {
	static S: OnceLock<Setup> = OnceLock::new();
	S.get_or_init(|| {
		let milan = common::fixture("sev-snp/virtee-sev/src/certs/snp/builtin/milan/ark.pem");
		Setup {
			milan_ark: to_der(&milan).expect("PEM certificate"),
			seed: amd_crl::verify(SEED, &[DEV_ARK], T).expect("the seed list verifies"),
		}
	})
}

fuzz_target!(|data: &[u8]| {
	let s = setup();
	if let Ok(v) = amd_crl::verify(data, &[&s.milan_ark, DEV_ARK], T) {
		assert_eq!(v, s.seed, "a list other than the seed verified");
	}
	let _ = amd_crl::verify(SEED, &[data], T);
	if let Ok((issuer, serial)) = amd_crl::revocation_id(data) {
		let _ = s.seed.revokes(&issuer, &serial);
	}
});
