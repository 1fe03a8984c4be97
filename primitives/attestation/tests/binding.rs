//! The attestation binding's golden vectors (docs/payloads.md, produced independently with
//! Python's `hashlib.sha3_256`).

#![allow(clippy::unwrap_used)]

use aicf_attestation_verify::{attestation_binding, provider_binding};

fn hex32(s: &str) -> [u8; 32] {
	hex::decode(s).unwrap().try_into().unwrap()
}

#[test]
fn attestation_binding_matches_the_golden_vectors() {
	let id: [u8; 12] = core::array::from_fn(|i| i as u8);
	assert_eq!(
		attestation_binding(&id, &[0x11; 32], &[0x22; 32]),
		hex32("4bae27385b6784b282cbd9c9a475b86eb6401d3530f002a6717bc5082eb4d305")
	);
	assert_eq!(
		attestation_binding(&[0xab; 12], &[0x45; 32], &[0x5c; 32]),
		hex32("c6b3d4cf997b57a382279623c37ba7120f217e119b2fda214e75ad656ff836a3")
	);
	assert_eq!(
		provider_binding(&id),
		hex32("8ee7f0c4e111926b836a08b8e6a4ab30ecc8361d3dbeae1dcfeec40efb30eb0e")
	);
}

#[test]
fn every_input_changes_the_binding() {
	let base = attestation_binding(&[1; 12], &[2; 32], &[3; 32]);
	assert_ne!(base, attestation_binding(&[9; 12], &[2; 32], &[3; 32]), "provider");
	assert_ne!(base, attestation_binding(&[1; 12], &[9; 32], &[3; 32]), "challenge");
	assert_ne!(base, attestation_binding(&[1; 12], &[2; 32], &[9; 32]), "key");
}
