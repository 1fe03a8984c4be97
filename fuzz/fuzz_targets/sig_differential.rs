//! Differential: the classical signature host functions (`aicf_crypto` ECDSA P-256, ECDSA
//! P-384, RSA-PSS SHA-384, `ring` natively) against the portable RustCrypto reference
//! (`aicf_attestation_verify::sig::portable`), on a valid (key, message, signature) of each
//! scheme edited by the fuzzer. Every validator must reach the reference verdict on every
//! input, so a disagreement is a crash.
//!
//! Input: byte 0 picks the scheme (`% 4`: P-256, P-384, RSA-PSS with AMD's Milan ARK
//! self-signature, P-521), then 4-byte edits `[what, pos_lo, pos_hi, byte]`: `what % 4` = 0 flips
//! `byte` into the signature at `pos`, 1 into the key (the SEC1 point, or the RSA modulus),
//! 2 into the message, 3 into the RSA exponent (or negates the ECDSA `s` when `byte` is odd).
//! Trailing bytes truncate the signature by their count.

#![no_main]

use aicf_attestation_verify::{sig::portable, to_der};
use aicf_primitives::host::native;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

#[path = "common.rs"]
mod common;

/// One scheme's valid input: key, exponent (RSA only), message, signature.
struct Valid {
	key: Vec<u8>,
	exponent: Vec<u8>,
	msg: Vec<u8>,
	sig: Vec<u8>,
	/// The signature with `s` negated (ECDSA), which verifies too.
	high_s: Vec<u8>,
}

fn valid() -> &'static [Valid; 4] {
	static VALID: OnceLock<[Valid; 4]> = OnceLock::new();
	VALID.get_or_init(|| {
		let msg = b"a vendor's to-be-signed bytes".to_vec();
		let p256 = {
			use p256::ecdsa::{signature::Signer, Signature, SigningKey};
			let sk = SigningKey::from_slice(&[7; 32]).expect("P-256 key");
			let sig: Signature = sk.sign(&msg);
			let (r, s) = sig.split_scalars();
			let high = Signature::from_scalars(r, -*s.as_ref()).expect("negated s");
			Valid {
				key: sk.verifying_key().to_sec1_point(false).as_bytes().to_vec(),
				exponent: Vec::new(),
				msg: msg.clone(),
				sig: sig.to_bytes().to_vec(),
				high_s: high.to_bytes().to_vec(),
			}
		};
		let p384 = {
			use p384::ecdsa::{signature::Signer, Signature, SigningKey};
			let sk = SigningKey::from_slice(&[7; 48]).expect("P-384 key");
			let sig: Signature = sk.sign(&msg);
			let (r, s) = sig.split_scalars();
			let high = Signature::from_scalars(r, -*s.as_ref()).expect("negated s");
			Valid {
				key: sk.verifying_key().to_sec1_point(false).as_bytes().to_vec(),
				exponent: Vec::new(),
				msg: msg.clone(),
				sig: sig.to_bytes().to_vec(),
				high_s: high.to_bytes().to_vec(),
			}
		};
		let rsa = {
			let der =
				to_der(&common::fixture("sev-snp/virtee-sev/src/certs/snp/builtin/milan/ark.pem"))
					.expect("PEM certificate");
			let r =
				aicf_attestation_verify::sig::rsa_self_signature(&der).expect("an RSA-PSS root");
			Valid {
				key: r.modulus,
				exponent: r.exponent,
				msg: r.signed,
				sig: r.signature.clone(),
				high_s: r.signature,
			}
		};
		let p521 = {
			use p521::ecdsa::{signature::Signer, Signature, SigningKey};
			let mut scalar = [7; 66];
			scalar[0] = 1;
			let sk = SigningKey::from_slice(&scalar).expect("P-521 key");
			let sig: Signature = sk.sign(&msg);
			let (r, s) = sig.split_scalars();
			let high = Signature::from_scalars(r, -*s.as_ref()).expect("negated s");
			Valid {
				key: sk.verifying_key().to_sec1_point(false).as_bytes().to_vec(),
				exponent: Vec::new(),
				msg: msg.clone(),
				sig: sig.to_bytes().to_vec(),
				high_s: high.to_bytes().to_vec(),
			}
		};
		let all = [p256, p384, rsa, p521];
		for (i, v) in all.iter().enumerate() {
			assert!(verdicts(i, v.key.as_slice(), &v.exponent, &v.msg, &v.sig), "scheme {i}");
		}
		all
	})
}

/// Both verdicts, asserted equal.
fn verdicts(scheme: usize, key: &[u8], e: &[u8], msg: &[u8], sig: &[u8]) -> bool {
	let (host, reference) = match scheme {
		0 => (
			native::ecdsa_p256_sha256_verify(key, msg, sig),
			portable::ecdsa_p256_sha256(key, msg, sig),
		),
		1 => (
			native::ecdsa_p384_sha384_verify(key, msg, sig),
			portable::ecdsa_p384_sha384(key, msg, sig),
		),
		2 => (
			native::rsa_pss_sha384_verify(key, e, msg, sig),
			portable::rsa_pss_sha384(key, e, msg, sig),
		),
		_ => (
			native::ecdsa_p521_sha512_verify(key, msg, sig),
			portable::ecdsa_p521_sha512(key, msg, sig),
		),
	};
	assert_eq!(host, reference, "scheme {scheme}: host {host}, portable {reference}");
	host
}

fn flip(buf: &mut [u8], pos: usize, byte: u8) {
	let len = buf.len();
	if let Some(b) = buf.get_mut(pos % len.max(1)) {
		*b ^= byte;
	}
}

fuzz_target!(|data: &[u8]| {
	let Some((&pick, rest)) = data.split_first() else { return };
	let scheme = usize::from(pick % 4);
	let v = &valid()[scheme];
	let (mut key, mut e, mut msg, mut sig) =
		(v.key.clone(), v.exponent.clone(), v.msg.clone(), v.sig.clone());
	let edits = rest.chunks_exact(4);
	let trailing = edits.remainder().len();
	for ed in edits {
		let (what, pos, byte) = (ed[0] % 4, usize::from(u16::from_le_bytes([ed[1], ed[2]])), ed[3]);
		match what {
			0 => flip(&mut sig, pos, byte),
			1 => flip(&mut key, pos, byte),
			2 => flip(&mut msg, pos, byte),
			_ if scheme == 2 => flip(&mut e, pos, byte),
			_ if byte & 1 == 1 => sig = v.high_s.clone(),
			_ => {},
		}
	}
	sig.truncate(sig.len().saturating_sub(trailing));
	verdicts(scheme, &key, &e, &msg, &sig);
});
