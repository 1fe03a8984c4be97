//! The signature host functions (`aicf_crypto` ECDSA P-256/P-384 and RSA-PSS, `ring` natively)
//! against the portable RustCrypto reference (`sig::portable`): the same verdict on real vendor
//! signatures, on signatures made here, and on every kind of malformed input. Every other test
//! binary of this crate also compares both on each verification it runs (the differential check
//! that reading a fixture turns on); this one shows that check is live.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

mod fixtures;

use aicf_attestation_verify::sig::{self, portable};
use aicf_primitives::host::native;
use der::{Decode as _, Encode as _};

/// Host and portable verdicts on one input, asserted equal; returns the verdict.
fn both(
	host: fn(&[u8], &[u8], &[u8]) -> bool,
	reference: fn(&[u8], &[u8], &[u8]) -> bool,
	key: &[u8],
	msg: &[u8],
	sig: &[u8],
) -> bool {
	let (h, p) = (host(key, msg, sig), reference(key, msg, sig));
	assert_eq!(h, p, "host and portable differ on key {key:02x?} sig {sig:02x?}");
	h
}

/// Every one-byte corruption of key, message and signature at a few positions is refused by
/// both; the untouched input is accepted by both.
fn ecdsa_cases(
	host: fn(&[u8], &[u8], &[u8]) -> bool,
	reference: fn(&[u8], &[u8], &[u8]) -> bool,
	key: &[u8],
	msg: &[u8],
	sig: &[u8],
	high_s: &[u8],
) {
	assert!(both(host, reference, key, msg, sig));
	// ECDSA does not require a low s: the negated s verifies under both.
	assert!(both(host, reference, key, msg, high_s));
	for i in [0, 1, key.len() / 2, key.len() - 1] {
		let mut k = key.to_vec();
		k[i] ^= 1;
		assert!(!both(host, reference, &k, msg, sig), "key byte {i}");
	}
	for i in [0, sig.len() / 2 - 1, sig.len() / 2, sig.len() - 1] {
		let mut s = sig.to_vec();
		s[i] ^= 0x80;
		assert!(!both(host, reference, key, msg, &s), "signature byte {i}");
	}
	let mut m = msg.to_vec();
	m[0] ^= 1;
	assert!(!both(host, reference, key, &m, sig));
	// Shapes the input rules refuse: compressed or truncated key, DER or truncated signature,
	// zero scalars, scalars of all ones (not below the group order).
	let half = sig.len() / 2;
	let mut compressed = vec![2 + (key[key.len() - 1] & 1)];
	compressed.extend_from_slice(&key[1..=half]);
	let zero_r = [vec![0; half], sig[half..].to_vec()].concat();
	let zero_s = [sig[..half].to_vec(), vec![0; half]].concat();
	let ones = vec![0xff; sig.len()];
	for (k, s) in [
		(&compressed[..], sig),
		(&key[..key.len() - 1], sig),
		(key, &sig[..sig.len() - 1]),
		(key, &zero_r[..]),
		(key, &zero_s[..]),
		(key, &ones[..]),
		(&[][..], &[][..]),
	] {
		assert!(!both(host, reference, k, msg, s));
	}
	// The point at infinity and a point off the curve.
	let mut off = key.to_vec();
	off[key.len() - 1] ^= 0x55;
	assert!(!both(host, reference, &off, msg, sig));
	let inf = [&[4u8][..], &vec![0; key.len() - 1]].concat();
	assert!(!both(host, reference, &inf, msg, sig));
}

#[test]
fn p256_host_and_portable_agree() {
	use p256::ecdsa::{signature::Signer, Signature, SigningKey};
	for seed in 1..=4u8 {
		let sk = SigningKey::from_slice(&[seed; 32]).unwrap();
		let key = sk.verifying_key().to_sec1_point(false).as_bytes().to_vec();
		let msg = vec![seed; 100 * seed as usize];
		let sig: Signature = sk.sign(&msg);
		let (r, s) = sig.split_scalars();
		let high = Signature::from_scalars(r, -*s.as_ref()).unwrap();
		ecdsa_cases(
			native::ecdsa_p256_sha256_verify,
			portable::ecdsa_p256_sha256,
			&key,
			&msg,
			&sig.to_bytes(),
			&high.to_bytes(),
		);
	}
}

#[test]
fn p384_host_and_portable_agree() {
	use p384::ecdsa::{signature::Signer, Signature, SigningKey};
	for seed in 1..=4u8 {
		let sk = SigningKey::from_slice(&[seed; 48]).unwrap();
		let key = sk.verifying_key().to_sec1_point(false).as_bytes().to_vec();
		let msg = vec![seed; 100 * seed as usize];
		let sig: Signature = sk.sign(&msg);
		let (r, s) = sig.split_scalars();
		let high = Signature::from_scalars(r, -*s.as_ref()).unwrap();
		ecdsa_cases(
			native::ecdsa_p384_sha384_verify,
			portable::ecdsa_p384_sha384,
			&key,
			&msg,
			&sig.to_bytes(),
			&high.to_bytes(),
		);
	}
}

#[test]
fn p521_host_and_portable_agree() {
	use p521::ecdsa::{signature::Signer, Signature, SigningKey};
	for seed in 1..=2u8 {
		let mut scalar = [seed; 66];
		scalar[0] = 1;
		let sk = SigningKey::from_slice(&scalar).unwrap();
		let key = sk.verifying_key().to_sec1_point(false).as_bytes().to_vec();
		let msg = vec![seed; 100 * seed as usize];
		let sig: Signature = sk.sign(&msg);
		let (r, s) = sig.split_scalars();
		let high = Signature::from_scalars(r, -*s.as_ref()).unwrap();
		ecdsa_cases(
			native::ecdsa_p521_sha512_verify,
			portable::ecdsa_p521_sha512,
			&key,
			&msg,
			&sig.to_bytes(),
			&high.to_bytes(),
		);
	}
}

/// AMD's ARK certificates sign themselves with RSASSA-PSS SHA-384: both verify each, and
/// refuse every corruption and every key shape outside the input rules.
#[test]
fn rsa_pss_host_and_portable_agree_on_amd_roots() {
	let rsa = |n: &[u8], e: &[u8], m: &[u8], s: &[u8]| {
		let (h, p) =
			(native::rsa_pss_sha384_verify(n, e, m, s), portable::rsa_pss_sha384(n, e, m, s));
		assert_eq!(h, p, "host and portable differ");
		h
	};
	for product in ["milan", "genoa", "turin"] {
		let pem =
			fixtures::read(&format!("sev-snp/virtee-sev/src/certs/snp/builtin/{product}/ark.pem"));
		let (_, der) = der::pem::decode_vec(&pem).unwrap();
		let cert = x509_cert::Certificate::from_der(&der).unwrap();
		let tbs = cert.tbs_certificate().to_der().unwrap();
		let sig = cert.signature().raw_bytes().to_vec();
		let spki = cert.tbs_certificate().subject_public_key_info();
		let key =
			rsa::pkcs1::RsaPublicKeyRef::from_der(spki.subject_public_key.raw_bytes()).unwrap();
		let (n, e) = (key.modulus.as_bytes().to_vec(), key.public_exponent.as_bytes().to_vec());
		assert_eq!((n.len(), &e[..]), (512, &[1u8, 0, 1][..]));
		assert!(rsa(&n, &e, &tbs, &sig), "{product} ARK");
		for i in [0, 1, 255, 511] {
			let mut s = sig.clone();
			s[i] ^= 1;
			assert!(!rsa(&n, &e, &tbs, &s), "{product} signature byte {i}");
			let mut k = n.clone();
			k[i] ^= 1;
			assert!(!rsa(&k, &e, &tbs, &sig), "{product} modulus byte {i}");
		}
		let mut m = tbs.clone();
		m[10] ^= 1;
		assert!(!rsa(&n, &e, &m, &sig));
		// Input rules: another exponent, a leading zero, a short signature, a tiny modulus.
		let padded = [&[0u8][..], &n].concat();
		let padded_sig = [&[0u8][..], &sig].concat();
		assert!(!rsa(&n, &[3], &tbs, &sig));
		assert!(!rsa(&n, &[0, 1, 0, 1], &tbs, &sig));
		assert!(!rsa(&padded, &e, &tbs, &padded_sig));
		assert!(!rsa(&n, &e, &tbs, &sig[1..]));
		assert!(!rsa(&n[..128], &e, &tbs, &sig[..128]));
	}
}

const MILAN_REPORT_DATA: &str = "d447b55d197491bfe15cf298f9de9986b7a7c4be2468b4f6e2d53b71d7c645810b0f2cdfca0040433be063fc1a8293f0f3f8dae7b79fecb3d1cd82bd6a93ebfd";

/// The differential check is live in the verifiers: a SEV-SNP report's chain makes its RSA
/// and P-384 checks through `sig`, and each is compared with the reference.
#[test]
fn verifiers_compare_every_check_with_the_reference() {
	let read = |rel: &str| fixtures::read(&format!("sev-snp/{rel}"));
	let pem = |rel: &str| der::pem::decode_vec(&read(rel)).unwrap().1;
	let report = hex::decode(
		String::from_utf8(read("virtee-sev/tests/certs_data/report_milan.hex")).unwrap().trim(),
	)
	.unwrap();
	let vcek = read("virtee-sev/tests/certs_data/vcek_milan.der");
	let ask = pem("virtee-sev/src/certs/snp/builtin/milan/ask.pem");
	let ark = pem("virtee-sev/src/certs/snp/builtin/milan/ark.pem");
	let before = sig::differential_checks();
	let binding = hex::decode(MILAN_REPORT_DATA).unwrap();
	let verified = aicf_attestation_verify::sev_snp::verify(
		&report,
		&vcek,
		&ask,
		&[&ark],
		&aicf_attestation_verify::Policy::default(),
		&binding,
		1_748_736_000,
	);
	assert!(verified.is_ok(), "{verified:?}");
	// ASK by ARK, VCEK by ASK (RSA-PSS), the report by the VCEK (P-384); the ARK's own
	// signature is checked when it is pinned (`check_root`), through `sig` as well.
	assert_eq!(sig::differential_checks() - before, 3);
	let before = sig::differential_checks();
	assert_eq!(aicf_attestation_verify::check_root(&ark), Ok(()));
	assert_eq!(sig::differential_checks() - before, 1);
}
