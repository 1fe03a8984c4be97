//! Quantum facility identity certificates, issued by a test facility CA (P-384) built here:
//! there is no vendor fixture for this evidence kind.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

mod test_ca;

use aicf_attestation_verify::{
	provider_binding,
	quantum::{self, FacilityIdentity, FACILITY_IDENTITY_OID},
	AttestationError, EvidenceKind, ParseRegion, Policy, TcbStatus,
};
use der::{asn1::OctetString, Encode};
use p384::{ecdsa::SigningKey, pkcs8::EncodePublicKey};
use sha2::Digest;
use test_ca::{cert, ext, key, name, root, CertSpec, T2024, T2026, T2030, T2040};

const PROVIDER: &[u8] = b"provider:0123456789abcdef01234567";

fn identity(families: &[&str], binding: Vec<u8>) -> Vec<u8> {
	FacilityIdentity {
		version: 1,
		facility_name: "Test Ion Trap Lab, Bay 3".into(),
		trap_families: families.iter().map(|f| f.to_string()).collect(),
		binding: OctetString::new(binding).unwrap(),
	}
	.to_der()
	.unwrap()
}

struct Pki {
	root_key: SigningKey,
	root: Vec<u8>,
	inter_key: SigningKey,
	inter: Vec<u8>,
	leaf_key: SigningKey,
}

fn pki() -> Pki {
	let root_key = key(21);
	let inter_key = key(22);
	let root = root("Facility Root", &root_key, T2024, T2040);
	let inter = cert(CertSpec {
		subject: name("Facility Issuing CA"),
		subject_key: &inter_key,
		issuer: name("Facility Root"),
		issuer_key: &root_key,
		ca: true,
		not_before: T2024,
		not_after: T2040,
		extra: vec![],
	});
	Pki { root_key, root, inter_key, inter, leaf_key: key(23) }
}

/// A leaf identity certificate with the given extension value, issued by the intermediate.
fn leaf_with(p: &Pki, ext_value: Option<Vec<u8>>, not_after: u64) -> Vec<u8> {
	let extra = ext_value
		.map(|v| vec![ext(&FACILITY_IDENTITY_OID.to_string(), false, v)])
		.unwrap_or_default();
	cert(CertSpec {
		subject: name("qpu-provider-1"),
		subject_key: &p.leaf_key,
		issuer: name("Facility Issuing CA"),
		issuer_key: &p.inter_key,
		ca: false,
		not_before: T2024,
		not_after,
		extra,
	})
}

fn leaf(p: &Pki) -> Vec<u8> {
	leaf_with(
		p,
		Some(identity(&["clifford", "t-depth"], provider_binding(PROVIDER).to_vec())),
		T2030,
	)
}

fn policy(families: &[&str]) -> Policy {
	Policy {
		quantum_trap_families: families.iter().map(|f| f.as_bytes().to_vec()).collect(),
		..Policy::default()
	}
}

fn verify(
	chain: &[&[u8]],
	roots: &[&[u8]],
	policy: &Policy,
	now: u64,
) -> Result<aicf_attestation_verify::Verified, AttestationError> {
	quantum::verify(chain, roots, policy, &provider_binding(PROVIDER), now)
}

#[test]
fn identity_certificate_chaining_to_the_pinned_root_verifies() {
	let p = pki();
	let leaf = leaf(&p);
	let v = verify(&[&leaf, &p.inter], &[&p.root], &policy(&["t-depth"]), T2026).unwrap();
	assert_eq!(v.kind, EvidenceKind::Quantum);
	assert_eq!(v.trap_families, vec![b"clifford".to_vec(), b"t-depth".to_vec()]);
	assert_eq!(&v.report_data[..32], &provider_binding(PROVIDER));
	assert_eq!(v.report_data[32..], [0; 32]);
	assert_eq!(v.not_after, T2030);
	assert_eq!(v.tcb_status, TcbStatus::NotApplicable);
	assert!(!v.debug);
	let spki = p.leaf_key.verifying_key().to_public_key_der().unwrap();
	assert_eq!(v.measurement[..], sha2::Sha384::digest(spki.as_bytes())[..]);
	// every certificate below the root, leaf first, by SHA-256 fingerprint
	let fingerprint = |der: &[u8]| -> [u8; 32] { sha2::Sha256::digest(der).into() };
	assert_eq!(v.chain_fingerprints, vec![fingerprint(&leaf), fingerprint(&p.inter)]);
	// the chain may carry the root itself, which is not among them; no trap family required
	// by an empty list
	let with_root =
		verify(&[&leaf, &p.inter, &p.root], &[&p.root], &Policy::default(), T2026).unwrap();
	assert_eq!(with_root.chain_fingerprints, v.chain_fingerprints);
	// a TEE workload allowlist, even an empty one without `any_workload`, does not apply to
	// facility certificates
	assert_eq!(v.workload, aicf_attestation_verify::Workload::None);
	let rule =
		aicf_attestation_verify::WorkloadRule::SevSnp { measurement: [1; 48], host_data: [0; 32] };
	for workloads in [vec![], vec![rule]] {
		let with_allowlist = Policy { workloads, any_workload: false, ..policy(&["clifford"]) };
		assert!(verify(&[&leaf, &p.inter], &[&p.root], &with_allowlist, T2026).is_ok());
	}
}

#[test]
fn leaf_issued_directly_by_the_root_verifies() {
	let p = pki();
	let leaf = cert(CertSpec {
		subject: name("qpu-provider-1"),
		subject_key: &p.leaf_key,
		issuer: name("Facility Root"),
		issuer_key: &p.root_key,
		ca: false,
		not_before: T2024,
		not_after: T2030,
		extra: vec![ext(
			&FACILITY_IDENTITY_OID.to_string(),
			true,
			identity(&["clifford"], provider_binding(PROVIDER).to_vec()),
		)],
	});
	assert!(verify(&[&leaf], &[&p.root], &policy(&["clifford"]), T2026).is_ok());
}

/// RFC 5280 §4.2: a certificate with a critical extension the verifier does not process is
/// refused, in the leaf and in an intermediate; the same extension, non-critical, is ignored.
#[test]
fn unknown_critical_extensions_are_refused() {
	let p = pki();
	let with = |critical: bool| {
		cert(CertSpec {
			subject: name("qpu-provider-1"),
			subject_key: &p.leaf_key,
			issuer: name("Facility Issuing CA"),
			issuer_key: &p.inter_key,
			ca: false,
			not_before: T2024,
			not_after: T2030,
			extra: vec![
				ext(
					&FACILITY_IDENTITY_OID.to_string(),
					false,
					identity(&["clifford"], provider_binding(PROVIDER).to_vec()),
				),
				ext("1.3.6.1.4.1.32473.9.9", critical, vec![0x05, 0x00]),
			],
		})
	};
	let pol = policy(&["clifford"]);
	assert!(verify(&[&with(false), &p.inter], &[&p.root], &pol, T2026).is_ok());
	assert_eq!(
		verify(&[&with(true), &p.inter], &[&p.root], &pol, T2026),
		Err(AttestationError::Chain)
	);
	let inter = cert(CertSpec {
		subject: name("Facility Issuing CA"),
		subject_key: &p.inter_key,
		issuer: name("Facility Root"),
		issuer_key: &p.root_key,
		ca: true,
		not_before: T2024,
		not_after: T2040,
		extra: vec![ext("2.5.29.30", true, vec![0x30, 0x00])],
	});
	assert_eq!(verify(&[&leaf(&p), &inter], &[&p.root], &pol, T2026), Err(AttestationError::Chain));
}

#[test]
fn chain_to_another_root_is_refused() {
	let p = pki();
	let leaf = leaf(&p);
	let other = root("Other Facility Root", &key(31), T2024, T2040);
	assert_eq!(
		verify(&[&leaf, &p.inter], &[&other], &Policy::default(), T2026),
		Err(AttestationError::Chain)
	);
	assert_eq!(
		verify(&[&leaf, &p.inter], &[], &Policy::default(), T2026),
		Err(AttestationError::Chain)
	);
	// a root with the right name but another key
	let impostor = root("Facility Root", &key(32), T2024, T2040);
	assert_eq!(
		verify(&[&leaf, &p.inter], &[&impostor], &Policy::default(), T2026),
		Err(AttestationError::Signature)
	);
	assert!(verify(&[&leaf, &p.inter], &[&impostor, &other, &p.root], &Policy::default(), T2026)
		.is_ok());
	// intermediates out of order / missing
	assert_eq!(
		verify(&[&p.inter, &leaf], &[&p.root], &Policy::default(), T2026),
		Err(AttestationError::Chain)
	);
	assert_eq!(
		verify(&[&leaf], &[&p.root], &Policy::default(), T2026),
		Err(AttestationError::Chain)
	);
}

#[test]
fn intermediate_that_is_not_a_ca_breaks_the_chain() {
	let p = pki();
	let inter = cert(CertSpec {
		subject: name("Facility Issuing CA"),
		subject_key: &p.inter_key,
		issuer: name("Facility Root"),
		issuer_key: &p.root_key,
		ca: false,
		not_before: T2024,
		not_after: T2040,
		extra: vec![],
	});
	assert_eq!(
		verify(&[&leaf(&p), &inter], &[&p.root], &Policy::default(), T2026),
		Err(AttestationError::Chain)
	);
}

#[test]
fn expired_or_not_yet_valid_certificates_are_refused() {
	let p = pki();
	let leaf = leaf(&p);
	assert!(verify(&[&leaf, &p.inter], &[&p.root], &Policy::default(), T2030).is_ok());
	assert_eq!(
		verify(&[&leaf, &p.inter], &[&p.root], &Policy::default(), T2030 + 1),
		Err(AttestationError::Expired)
	);
	assert_eq!(
		verify(&[&leaf, &p.inter], &[&p.root], &Policy::default(), T2024 - 1),
		Err(AttestationError::NotYetValid)
	);
	// an expired root expires everything under it
	let old_root = root("Facility Root", &p.root_key, T2024 - 1000, T2026);
	assert_eq!(
		verify(&[&leaf, &p.inter], &[&old_root], &Policy::default(), T2026 + 1),
		Err(AttestationError::Expired)
	);
	assert_eq!(
		verify(&[&leaf, &p.inter], &[&old_root], &Policy::default(), T2026).unwrap().not_after,
		T2026
	);
}

#[test]
fn facility_without_an_accepted_trap_family_is_refused() {
	let p = pki();
	let leaf = leaf(&p);
	assert_eq!(
		verify(&[&leaf, &p.inter], &[&p.root], &policy(&["magic-state", "Clifford"]), T2026),
		Err(AttestationError::TrapFamily)
	);
	assert!(verify(&[&leaf, &p.inter], &[&p.root], &policy(&["magic-state", "clifford"]), T2026)
		.is_ok());
}

#[test]
fn certificate_bound_to_another_provider_is_refused() {
	let p = pki();
	let leaf = leaf(&p);
	assert_eq!(
		quantum::verify(
			&[&leaf, &p.inter],
			&[&p.root],
			&Policy::default(),
			&provider_binding(b"someone else"),
			T2026
		),
		Err(AttestationError::ReportDataBinding)
	);
	assert_eq!(
		quantum::verify(&[&leaf, &p.inter], &[&p.root], &Policy::default(), &[], T2026),
		Err(AttestationError::ReportDataBinding)
	);
}

#[test]
fn malformed_or_missing_identity_extension_is_refused() {
	let p = pki();
	let binding = provider_binding(PROVIDER).to_vec();
	let claims = Err(AttestationError::Parse(ParseRegion::Claims));
	// (extension value, if any; expected verdict)
	type Case = (Option<Vec<u8>>, Result<(), AttestationError>);
	let cases: Vec<Case> = vec![
		(None, claims.clone()),
		(Some(vec![]), claims.clone()),
		(Some(vec![0x30, 0x03, 0x02, 0x01]), claims.clone()),
		(Some(b"clifford".to_vec()), claims.clone()),
		// binding of the wrong length
		(Some(identity(&["clifford"], binding[..31].to_vec())), claims.clone()),
		// no trap family, an empty one, an overlong one
		(Some(identity(&[], binding.clone())), claims.clone()),
		(Some(identity(&[""], binding.clone())), claims.clone()),
		(Some(identity(&["x".repeat(65).as_str()], binding.clone())), claims.clone()),
		// trailing bytes after the structure
		(Some([identity(&["clifford"], binding.clone()), vec![0]].concat()), claims.clone()),
		// another version
		(
			Some(
				FacilityIdentity {
					version: 2,
					facility_name: "x".into(),
					trap_families: vec!["clifford".into()],
					binding: OctetString::new(binding.clone()).unwrap(),
				}
				.to_der()
				.unwrap(),
			),
			Err(AttestationError::Unsupported),
		),
	];
	for (value, expected) in cases {
		let leaf = leaf_with(&p, value.clone(), T2030);
		assert_eq!(
			verify(&[&leaf, &p.inter], &[&p.root], &Policy::default(), T2026).map(|_| ()),
			expected,
			"{value:02x?}"
		);
	}
	// the extension twice
	let twice = cert(CertSpec {
		subject: name("qpu-provider-1"),
		subject_key: &p.leaf_key,
		issuer: name("Facility Issuing CA"),
		issuer_key: &p.inter_key,
		ca: false,
		not_before: T2024,
		not_after: T2030,
		extra: vec![
			ext(
				&FACILITY_IDENTITY_OID.to_string(),
				false,
				identity(&["clifford"], binding.clone()),
			),
			ext(&FACILITY_IDENTITY_OID.to_string(), false, identity(&["t-depth"], binding.clone())),
		],
	});
	assert!(verify(&[&twice, &p.inter], &[&p.root], &Policy::default(), T2026).is_err());
}

#[test]
fn flipped_certificate_bytes_are_rejected() {
	let p = pki();
	let leaf = leaf(&p);
	let mut sig_errors = 0;
	for i in 0..leaf.len() {
		let mut l = leaf.clone();
		l[i] ^= 0x01;
		let r = verify(&[&l, &p.inter], &[&p.root], &Policy::default(), T2026);
		assert!(r.is_err(), "leaf byte {i}");
		if r == Err(AttestationError::Signature) {
			sig_errors += 1;
		}
	}
	// most bytes are inside the signed TBS or the signature
	assert!(sig_errors > leaf.len() / 2, "{sig_errors} of {}", leaf.len());
	let mut inter = p.inter.clone();
	*inter.last_mut().unwrap() ^= 1;
	assert_eq!(
		verify(&[&leaf, &inter], &[&p.root], &Policy::default(), T2026),
		Err(AttestationError::Signature)
	);
}

#[test]
fn oversized_truncated_and_random_chains_are_parse_errors() {
	let p = pki();
	let leaf = leaf(&p);
	let cert_err = Err(AttestationError::Parse(ParseRegion::Certificate));
	assert_eq!(verify(&[], &[&p.root], &Policy::default(), T2026), cert_err);
	assert_eq!(
		verify(
			&[&leaf, &p.inter, &p.inter, &p.inter, &p.inter],
			&[&p.root],
			&Policy::default(),
			T2026
		),
		cert_err
	);
	assert_eq!(
		verify(&[&leaf[..leaf.len() - 1], &p.inter], &[&p.root], &Policy::default(), T2026),
		cert_err
	);
	assert_eq!(
		verify(&[&vec![0x30; 9000], &p.inter], &[&p.root], &Policy::default(), T2026),
		cert_err
	);
	let mut x: u64 = 0xD1B54A32D192ED03;
	for len in (0..3000).step_by(53) {
		let bytes: Vec<u8> = (0..len)
			.map(|_| {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				x as u8
			})
			.collect();
		assert!(verify(&[&bytes], &[&bytes], &Policy::default(), T2026).is_err());
		assert!(verify(&[&leaf, &p.inter], &[&bytes], &Policy::default(), T2026).is_err());
		assert!(FacilityIdentity::decode(&bytes).is_err());
	}
}

#[test]
fn random_mutations_of_the_chain_never_panic_and_are_never_accepted() {
	let p = pki();
	let leaf = leaf(&p);
	let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
	let mut next = move || {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		x
	};
	for round in 0..2000 {
		let (mut l, mut i) = (leaf.clone(), p.inter.clone());
		let buf = if round % 2 == 0 { &mut l } else { &mut i };
		for _ in 0..1 + next() % 4 {
			let at = (next() % buf.len() as u64) as usize;
			buf[at] = next() as u8;
		}
		if next() % 8 == 0 {
			let keep = (next() % buf.len() as u64) as usize;
			buf.truncate(keep);
		}
		let r = verify(&[&l, &i], &[&p.root], &Policy::default(), T2026);
		assert!(r.is_err() || (l == leaf && i == p.inter), "round {round}");
	}
}
