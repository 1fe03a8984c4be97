//! Differential: the ML-DSA-65 verifier behind the `aicf_crypto` host function (libcrux, its
//! AVX2 code where the CPU has it) against the portable RustCrypto verifier, on a valid
//! (key, message, context, signature) edited by the fuzzer. Every validator must reach the
//! reference verdict on every input, so a disagreement is a crash.
//!
//! Input: 4-byte edits `[what, pos_lo, pos_hi, byte]`: `what % 4` = 0 flips `byte` into the
//! signature at `pos`, 1 into the public key, 2 into the message, 3 replaces the context by
//! `pos % 300` copies of `byte` (over 255 bytes is invalid). Trailing bytes truncate the
//! signature to `len − trailing` (malformed length).

#![no_main]

use aicf_primitives::{
	crypto::{portable, SIGNING_CONTEXT},
	host::native,
	keys::RegistryKeypair,
};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// A valid key, message and signature (context `SIGNING_CONTEXT`).
fn valid() -> &'static (Vec<u8>, Vec<u8>, Vec<u8>) {
	static VALID: OnceLock<(Vec<u8>, Vec<u8>, Vec<u8>)> = OnceLock::new();
	VALID.get_or_init(|| {
		let key = RegistryKeypair::from_ml_dsa_seed(&[7; 32]);
		let msg = b"a heartbeat payload of the aicf registry".to_vec();
		let sig = key.sign(&msg).expect("ML-DSA signing");
		let pk = key.public().bytes.to_vec();
		// The unedited input verifies under both, so edits explore accept and reject.
		assert!(native::ml_dsa65_verify(&pk, &msg, SIGNING_CONTEXT, &sig));
		assert!(portable::ml_dsa65_verify(&pk, &msg, SIGNING_CONTEXT, &sig).is_ok());
		(pk, msg, sig.to_vec())
	})
}

fn flip(buf: &mut [u8], pos: usize, byte: u8) {
	let len = buf.len();
	if let Some(b) = buf.get_mut(pos % len.max(1)) {
		*b ^= byte;
	}
}

fuzz_target!(|data: &[u8]| {
	let (pk, msg, sig) = valid();
	let (mut pk, mut msg, mut sig, mut ctx) =
		(pk.clone(), msg.clone(), sig.clone(), SIGNING_CONTEXT.to_vec());
	let edits = data.chunks_exact(4);
	let trailing = edits.remainder().len();
	for e in edits {
		let (what, pos, byte) = (e[0] % 4, usize::from(u16::from_le_bytes([e[1], e[2]])), e[3]);
		match what {
			0 => flip(&mut sig, pos, byte),
			1 => flip(&mut pk, pos, byte),
			2 => flip(&mut msg, pos, byte),
			_ => ctx = vec![byte; pos % 300],
		}
	}
	sig.truncate(sig.len() - trailing);
	let host = native::ml_dsa65_verify(&pk, &msg, &ctx, &sig);
	let reference = portable::ml_dsa65_verify(&pk, &msg, &ctx, &sig).is_ok();
	assert_eq!(host, reference, "host (libcrux) and RustCrypto ml-dsa disagree");
});
