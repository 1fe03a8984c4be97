//! AMD CRL verification: lists issued by a test ARK for the mechanics (issuer, signature,
//! window, critical extensions, sizes), and AMD's published Milan ARK and ASK
//! (`../shared/fixtures/sev-snp`) for the RSASSA-PSS path and a real ASK's revocation id. The
//! lists are built with `dev_facility::amd`.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

mod fixtures;
mod test_ca;

use aicf_attestation_verify::dev_facility::amd::{self, CrlSpec};
use aicf_attestation_verify::{
	amd_crl::{self, MAX_CRL_LEN, MAX_REVOKED_SERIALS},
	to_der, AttestationError, ParseRegion,
};
use der::{Decode, Encode};
use test_ca::{cert, ext, key, name, root, CertSpec, T2024, T2026, T2030, T2040};

fn crl(spec: CrlSpec<'_>) -> Vec<u8> {
	amd::crl(&spec).unwrap()
}

const BAD: AttestationError = AttestationError::Parse(ParseRegion::Collateral);
/// A moment inside every test list's window.
const NOW: u64 = T2026 + 86_400;

struct Ca {
	ark: Vec<u8>,
	ask: Vec<u8>,
}

/// A test ARK (`ARK-Test`, key 1) and an ASK it issued (serial 7).
fn ca() -> Ca {
	let ark = root("ARK-Test", &key(1), T2024, T2040);
	let ask = cert(CertSpec {
		subject: name("SEV-Test"),
		subject_key: &key(2),
		issuer: name("ARK-Test"),
		issuer_key: &key(1),
		ca: true,
		not_before: T2024,
		not_after: T2040,
		extra: vec![],
	});
	Ca { ark, ask }
}

/// A list by the test ARK, current from 2026 to 2030, revoking `serials`.
fn spec(serials: &[u32]) -> CrlSpec<'static> {
	static ARK_KEY: std::sync::OnceLock<p384::ecdsa::SigningKey> = std::sync::OnceLock::new();
	CrlSpec {
		issuer: name("ARK-Test"),
		issuer_key: ARK_KEY.get_or_init(|| key(1)),
		this_update: T2026,
		next_update: Some(T2030),
		revoked: serials.iter().map(|s| (s.to_be_bytes().to_vec(), vec![])).collect(),
		extensions: vec![],
	}
}

fn verify(list: &[u8], ark: &[u8], now: u64) -> Result<amd_crl::VerifiedAmdCrl, AttestationError> {
	amd_crl::verify(list, &[ark], now)
}

fn milan(file: &str) -> Vec<u8> {
	to_der(&fixtures::read(&format!("sev-snp/virtee-sev/src/certs/snp/builtin/milan/{file}")))
		.unwrap()
}

#[test]
fn a_list_by_the_pinned_ark_revokes_the_ask_it_names() {
	let ca = ca();
	let list = crl(spec(&[3, 7]));
	let verified = verify(&list, &ca.ark, NOW).unwrap();
	assert_eq!(verified.this_update, T2026);
	assert_eq!(verified.next_update, T2030);
	assert_eq!(verified.revoked.len(), 2);
	use sha2::Digest as _;
	assert_eq!(verified.ark_hash, <[u8; 32]>::from(sha2::Sha256::digest(&ca.ark)));
	let (issuer, serial) = amd_crl::revocation_id(&ca.ask).unwrap();
	assert_eq!(issuer, verified.issuer);
	assert_eq!(serial.as_slice(), &[7]);
	assert!(verified.revokes(&issuer, &serial));
	// Another serial, or the same serial under another issuer name, is not revoked.
	assert!(!verified.revokes(&issuer, &[8]));
	let other = cert(CertSpec {
		subject: name("SEV-Other"),
		subject_key: &key(4),
		issuer: name("ARK-Other"),
		issuer_key: &key(5),
		ca: true,
		not_before: T2024,
		not_after: T2040,
		extra: vec![],
	});
	let (other_issuer, other_serial) = amd_crl::revocation_id(&other).unwrap();
	assert_eq!(other_serial, serial);
	assert!(!verified.revokes(&other_issuer, &other_serial));
	// An empty list verifies and revokes nothing.
	let empty = verify(&crl(spec(&[])), &ca.ark, NOW).unwrap();
	assert!(empty.revoked.is_empty() && !empty.revokes(&issuer, &serial));
}

#[test]
fn a_list_no_pinned_ark_issued_is_an_untrusted_chain_and_a_forged_one_a_bad_signature() {
	let ca = ca();
	// Issuer named, but no pinned ARK has that name.
	let mut other = spec(&[7]);
	other.issuer = name("ARK-Other");
	assert_eq!(verify(&crl(other), &ca.ark, NOW), Err(AttestationError::Chain));
	// No ARK pinned at all.
	assert_eq!(amd_crl::verify(&crl(spec(&[7])), &[], NOW), Err(AttestationError::Chain));
	// The pinned ARK's name, someone else's key.
	let forger = key(9);
	let mut forged = spec(&[7]);
	forged.issuer_key = &forger;
	assert_eq!(verify(&crl(forged), &ca.ark, NOW), Err(AttestationError::Signature));
	// A pinned entry that is not a certificate is skipped.
	assert!(amd_crl::verify(&crl(spec(&[7])), &[b"junk", &ca.ark], NOW).is_ok());
	// A root that is not a CA cannot issue lists.
	let leaf_root = cert(CertSpec {
		subject: name("ARK-Test"),
		subject_key: &key(1),
		issuer: name("ARK-Test"),
		issuer_key: &key(1),
		ca: false,
		not_before: T2024,
		not_after: T2040,
		extra: vec![],
	});
	assert!(verify(&crl(spec(&[7])), &leaf_root, NOW).is_err());
	// A CA whose key usage allows certificate signing but not CRL signing (RFC 5280
	// §4.2.1.3): basic constraints cA, key usage keyCertSign only.
	let no_crl_sign = cert(CertSpec {
		subject: name("ARK-Test"),
		subject_key: &key(1),
		issuer: name("ARK-Test"),
		issuer_key: &key(1),
		ca: false,
		not_before: T2024,
		not_after: T2040,
		extra: vec![
			ext("2.5.29.19", true, vec![0x30, 0x03, 0x01, 0x01, 0xFF]),
			ext("2.5.29.15", true, vec![0x03, 0x02, 0x02, 0x04]),
		],
	});
	assert_eq!(verify(&crl(spec(&[7])), &no_crl_sign, NOW), Err(AttestationError::Chain));
	// An ARK past its own validity issues nothing.
	let expired_ark = root("ARK-Test", &key(1), T2024, T2026);
	assert_eq!(verify(&crl(spec(&[7])), &expired_ark, NOW), Err(AttestationError::Expired));
}

#[test]
fn the_list_counts_from_this_update_until_next_update() {
	let ca = ca();
	let list = crl(spec(&[7]));
	assert_eq!(verify(&list, &ca.ark, T2026 - 1), Err(AttestationError::NotYetValid));
	assert!(verify(&list, &ca.ark, T2026).is_ok());
	assert!(verify(&list, &ca.ark, T2030 - 1).is_ok());
	assert_eq!(verify(&list, &ca.ark, T2030), Err(AttestationError::Expired));
	let mut open = spec(&[7]);
	open.next_update = None;
	assert_eq!(verify(&crl(open), &ca.ark, NOW), Err(BAD));
}

#[test]
fn critical_extensions_are_unsupported_and_informational_ones_accepted() {
	let ca = ca();
	// cRLNumber (non-critical) is what AMD's lists carry.
	let mut numbered = spec(&[7]);
	numbered.extensions = vec![ext("2.5.29.20", false, vec![0x02, 0x01, 0x05])];
	assert!(verify(&crl(numbered), &ca.ark, NOW).is_ok());
	// An issuing distribution point (critical) would narrow the list's scope.
	let mut partitioned = spec(&[7]);
	partitioned.extensions = vec![ext("2.5.29.28", true, vec![0x30, 0x00])];
	assert_eq!(verify(&crl(partitioned), &ca.ark, NOW), Err(AttestationError::Unsupported));
	// A certificate-issuer entry extension (critical) makes the entry speak for another CA.
	let mut indirect = spec(&[]);
	indirect.revoked = vec![(vec![7], vec![ext("2.5.29.29", true, vec![0x30, 0x00])])];
	assert_eq!(verify(&crl(indirect), &ca.ark, NOW), Err(AttestationError::Unsupported));
	// A reason code entry extension (non-critical) is fine.
	let mut reasoned = spec(&[]);
	reasoned.revoked = vec![(vec![7], vec![ext("2.5.29.21", false, vec![0x0a, 0x01, 0x01])])];
	assert!(verify(&crl(reasoned), &ca.ark, NOW).is_ok());
}

#[test]
fn sizes_and_forms_are_bounded() {
	let ca = ca();
	// The costliest list there is to read: every entry, every byte.
	let largest = amd::largest_crl(T2026, T2030).unwrap();
	assert!(largest.len() <= MAX_CRL_LEN && largest.len() + 128 > MAX_CRL_LEN, "{}", largest.len());
	let dev_ark = amd::ark_der().unwrap();
	let v = amd_crl::verify(&largest, &[&dev_ark], NOW).unwrap();
	assert_eq!(v.revoked.len(), MAX_REVOKED_SERIALS);
	assert!(v.revoked.iter().all(|s| s.len() == 20));
	// As many entries as the chain keeps, and one more.
	let most: Vec<u32> = (1..=MAX_REVOKED_SERIALS as u32).collect();
	let full = crl(spec(&most));
	assert!(full.len() <= MAX_CRL_LEN, "{} bytes", full.len());
	assert_eq!(verify(&full, &ca.ark, NOW).unwrap().revoked.len(), MAX_REVOKED_SERIALS);
	let too_many: Vec<u32> = (1..=MAX_REVOKED_SERIALS as u32 + 1).collect();
	assert_eq!(verify(&crl(spec(&too_many)), &ca.ark, NOW), Err(BAD));
	// Oversized input, trailing bytes, truncation, and the inner/outer algorithm mismatch.
	let list = crl(spec(&[7]));
	assert_eq!(verify(&vec![0x30; MAX_CRL_LEN + 1], &ca.ark, NOW), Err(BAD));
	let mut trailing = list.clone();
	trailing.push(0);
	assert_eq!(verify(&trailing, &ca.ark, NOW), Err(BAD));
	for cut in [0, 1, 10, list.len() / 2, list.len() - 1] {
		assert_eq!(verify(&list[..cut], &ca.ark, NOW), Err(BAD), "cut at {cut}");
	}
	let mut other_alg = amd::ecdsa_sha384();
	other_alg.oid = der::oid::ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
	let mismatched = amd::sign_crl(amd::tbs_crl(&spec(&[7])).unwrap(), other_alg, &key(1)).unwrap();
	assert_eq!(verify(&mismatched, &ca.ark, NOW), Err(BAD));
	// Every flipped byte is refused or still verifies the same list; nothing panics.
	for i in 0..list.len() {
		let mut m = list.clone();
		m[i] ^= 0x01;
		if let Ok(v) = verify(&m, &ca.ark, NOW) {
			panic!("byte {i} flipped still verifies: {v:?}");
		}
	}
}

#[test]
fn a_list_under_the_milan_ark_is_checked_with_its_rsa_pss_key() {
	let ark = milan("ark.pem");
	let ask = milan("ask.pem");
	let ark_cert = x509_cert::Certificate::from_der(&ark).unwrap();
	let ask_cert = x509_cert::Certificate::from_der(&ask).unwrap();
	// A list in the Milan ARK's name, with AMD's algorithm (RSASSA-PSS, SHA-384, salt 48,
	// as on the ASK), that the ARK's key did not sign.
	let mut tbs = amd::tbs_crl(&spec(&[7])).unwrap();
	tbs.issuer = ark_cert.tbs_certificate().subject().clone();
	tbs.signature = ask_cert.signature_algorithm().clone();
	let list = x509_cert::crl::CertificateList {
		tbs_cert_list: tbs,
		signature_algorithm: ask_cert.signature_algorithm().clone(),
		signature: der::asn1::BitString::from_bytes(&[0x5a; 512]).unwrap(),
	}
	.to_der()
	.unwrap();
	assert_eq!(verify(&list, &ark, NOW), Err(AttestationError::Signature));
	// The same list is nobody's under another generation's ARK.
	let genoa =
		to_der(&fixtures::read("sev-snp/virtee-sev/src/certs/snp/builtin/genoa/ark.pem")).unwrap();
	assert_eq!(verify(&list, &genoa, NOW), Err(AttestationError::Chain));
	// The real ASK's revocation id: its issuer is the ARK's subject, its serial as issued.
	let (issuer, serial) = amd_crl::revocation_id(&ask).unwrap();
	use sha2::Digest as _;
	let subject = ark_cert.tbs_certificate().subject().to_der().unwrap();
	assert_eq!(issuer, <[u8; 32]>::from(sha2::Sha256::digest(subject)));
	assert_eq!(serial.as_slice(), ask_cert.tbs_certificate().serial_number().as_bytes());
}

#[test]
fn revocation_id_refuses_what_is_not_a_certificate() {
	assert!(amd_crl::revocation_id(b"").is_err());
	assert!(amd_crl::revocation_id(&[0x30, 0x03, 0x02, 0x01, 0x07]).is_err());
}
