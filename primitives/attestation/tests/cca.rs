//! Arm CCA token verification against the TF-M/Veraison test tokens in
//! `../shared/fixtures/cca` (see its `PROVENANCE.md`), plus tokens built here with test
//! platform and realm keys for the cases the fixtures cannot show.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

mod fixtures;

use aicf_attestation_verify::cca::PlatformAlg;
use aicf_attestation_verify::{
	cca::{self, PlatformClaims, RealmClaims},
	dev_facility::cca::{self as dev_cca, TokenSpec},
	provider_binding, AttestationError, EvidenceKind, ParseRegion, Policy, TcbStatus, Workload,
	WorkloadRule,
};
use ciborium::value::Value;
use coset::{iana, TaggedCborSerializable as _};
use p384::{ecdsa::SigningKey, pkcs8::EncodePublicKey};
use sha2::Digest as _;

/// The bytes of the fixture at `rel` below `cca/` in the fixtures folder.
fn read(rel: &str) -> Vec<u8> {
	fixtures::read(&format!("cca/{rel}"))
}

fn cpak() -> Vec<u8> {
	let pem = read("ccatoken/realm/testvectors/tf-rmm/cca_platform.pub");
	let (label, der) = der::pem::decode_vec(&pem).unwrap();
	assert_eq!(label, "PUBLIC KEY");
	der
}

/// The pinned trust anchor of the TF-A FVP test platform: its instance ID and the CPAK.
fn anchor() -> Vec<u8> {
	cca::TrustAnchor::encode(&cca::TFA_FVP_TEST_INSTANCE_ID, &cpak()).unwrap()
}

fn token01() -> Vec<u8> {
	read("rust-ccatoken/testdata/cca-token-01.cbor")
}

fn token_ffm() -> Vec<u8> {
	read("rust-ccatoken/testdata/cca-token-draft-ffm-00.cbor")
}

/// 2025-06-01.
const NOW: u64 = 1_748_736_000;
/// Realm challenge of `cca-token-01`: 64 × 0xAB.
const CHALLENGE_01: [u8; 64] = [0xAB; 64];

fn verify01(
	token: &[u8],
	policy: &Policy,
) -> Result<aicf_attestation_verify::Verified, AttestationError> {
	cca::verify(token, &[&anchor()], policy, &CHALLENGE_01[..32], NOW)
}

/// The two COSE_Sign1 byte strings of a token, decoded independently of the verifier.
fn parts(token: &[u8]) -> (Vec<u8>, Vec<u8>) {
	let v: Value = ciborium::de::from_reader(token).unwrap();
	let Value::Tag(399, inner) = v else { panic!("not a CCA token") };
	let Value::Map(m) = *inner else { panic!() };
	let get = |k: u64| {
		m.iter()
			.find(|(key, _)| *key == Value::Integer(k.into()))
			.and_then(|(_, v)| v.as_bytes().cloned())
			.unwrap()
	};
	(get(44234), get(44241))
}

fn payload(cose: &[u8]) -> Vec<u8> {
	coset::CoseSign1::from_tagged_slice(cose).unwrap().payload.unwrap()
}

fn find(hay: &[u8], needle: &[u8]) -> usize {
	hay.windows(needle.len()).position(|w| w == needle).unwrap()
}

#[test]
fn cca_token_01_verifies_with_the_pinned_cpak() {
	let v = verify01(&token01(), &Policy::default()).unwrap();
	assert_eq!(v.kind, EvidenceKind::Cca);
	assert_eq!(v.report_data, CHALLENGE_01);
	// RIM: 32 zero bytes (sha-256), zero-padded
	assert_eq!(v.measurement, [0u8; 48]);
	assert_eq!(v.tcb_status, TcbStatus::NotApplicable);
	assert!(!v.debug, "lifecycle 0x3003 is secured");
	assert_eq!(v.issued_at, None);
	assert_eq!(v.not_after, u64::MAX);
	let aged = Policy { max_age_secs: 3600, ..Policy::default() };
	assert_eq!(verify01(&token01(), &aged).unwrap().not_after, NOW + 3600);
}

#[test]
fn draft_ffm_token_with_a_cose_key_rak_verifies() {
	let token = token_ffm();
	let (platform, realm) = parts(&token);
	let realm_claims: Value = ciborium::de::from_reader(&payload(&realm)[..]).unwrap();
	let get = |m: &Value, k: i64| {
		m.as_map()
			.unwrap()
			.iter()
			.find(|(key, _)| *key == Value::Integer(k.into()))
			.map(|(_, v)| v.clone())
			.unwrap()
	};
	let challenge = get(&realm_claims, 10).into_bytes().unwrap();
	let rim = get(&realm_claims, 44238).into_bytes().unwrap();
	let rak = get(&realm_claims, 44237).into_bytes().unwrap();
	assert_eq!(rak.len(), 107, "RAK is a COSE_Key");
	let platform_claims: Value = ciborium::de::from_reader(&payload(&platform)[..]).unwrap();
	assert_eq!(
		get(&platform_claims, 10).into_bytes().unwrap(),
		hex::decode("0d22e08a98469058486318283489bdb36f09dbefeb1864df433fa6e54ea2d711").unwrap()
	);
	let v = cca::verify(&token, &[&anchor()], &Policy::default(), &challenge[..32], NOW).unwrap();
	assert_eq!(&v.report_data[..], &challenge[..]);
	assert_eq!(&v.measurement[..rim.len()], &rim[..]);
	assert!(v.measurement[rim.len()..].iter().all(|b| *b == 0));
}

#[test]
fn unsigned_claims_sets_decode() {
	let p = PlatformClaims::decode(&read("rust-ccatoken/testdata/platform-claims.cbor")).unwrap();
	assert_eq!(p.profile, "http://arm.com/CCA-SSD/1.0.0");
	assert_eq!(p.challenge, vec![0xAA; 64]);
	assert_eq!(p.lifecycle, 12288);
	assert!(p.secured());
	assert_eq!(p.implementation_id, vec![0xAA; 32]);
	assert_eq!(p.instance_id[..2], [0x01, 0x0B]);
	let r = RealmClaims::decode(&read("rust-ccatoken/testdata/realm-claims.cbor")).unwrap();
	assert_eq!(r.challenge, [0xAB; 64]);
	assert_eq!(r.rim, vec![0; 32]);
	assert_eq!(r.rak_hash_alg, "sha-256");
	assert_eq!(r.rak.len(), 97);
	assert!(r.rak_key().is_ok());
	// the claims sets swapped are missing required claims
	assert_eq!(
		RealmClaims::decode(&read("rust-ccatoken/testdata/platform-claims.cbor")),
		Err(AttestationError::Parse(ParseRegion::Claims))
	);
}

#[test]
fn token_is_refused_without_its_platform_pinned_and_under_another_key() {
	let other = SigningKey::from_slice(&[9; 48]).unwrap();
	let other_der = other.verifying_key().to_public_key_der().unwrap();
	let verify = |anchors: &[&[u8]]| {
		cca::verify(&token01(), anchors, &Policy::default(), &CHALLENGE_01[..32], NOW)
	};
	// No anchor names the token's instance ID: the platform is not pinned.
	let elsewhere = cca::TrustAnchor::encode(&[0x01, 0x99], &cpak()).unwrap();
	for pinned in [vec![&elsewhere[..]], vec![], vec![&b"not an anchor"[..]], vec![&cpak()[..]]] {
		assert_eq!(verify(&pinned), Err(AttestationError::Chain));
	}
	// The anchor names the instance with another key: the platform signature is bad.
	let wrong_key =
		cca::TrustAnchor::encode(&cca::TFA_FVP_TEST_INSTANCE_ID, other_der.as_bytes()).unwrap();
	assert_eq!(verify(&[&wrong_key]), Err(AttestationError::PlatformSignature));
	// A malformed entry and another platform's anchor next to the right one are skipped.
	let good = anchor();
	assert!(verify(&[b"junk", &elsewhere, &good]).is_ok());
	assert_eq!(cca::platform_key(b"junk"), Err(AttestationError::Parse(ParseRegion::Certificate)));
	// Anchors: an instance ID of 1–64 bytes, a key on a CCA curve.
	assert!(cca::TrustAnchor::encode(&[], &cpak()).is_err());
	assert!(cca::TrustAnchor::encode(&[1; 65], &cpak()).is_err());
	assert!(cca::TrustAnchor::encode(&[1], b"junk").is_err());
	assert_eq!(cca::TrustAnchor::decode(&good).unwrap().cpak_der, cpak());
	let mut trailing = good.clone();
	trailing.push(0);
	assert!(cca::TrustAnchor::decode(&trailing).is_err());
	// A compressed point (a valid key, but decompressing it is work the weight does not
	// charge) is refused in an anchor.
	let point = other.verifying_key().to_sec1_point(true);
	let mut compressed = hex::decode("3046301006072a8648ce3d020106052b81040022033200").unwrap();
	compressed.extend_from_slice(point.as_bytes());
	assert!(cca::platform_key(&compressed).is_ok());
	assert!(cca::TrustAnchor::encode(&[1], &compressed).is_err());
	assert_eq!(
		cca::TrustAnchor::instance_id_of(&good),
		Some(cca::TFA_FVP_TEST_INSTANCE_ID.to_vec())
	);
}

#[test]
fn flipped_bytes_in_each_region_are_rejected() {
	let token = token01();
	let (platform, realm) = parts(&token);
	let p_at = find(&token, &platform);
	let r_at = find(&token, &realm);
	let flip = |i: usize| {
		let mut t = token.clone();
		t[i] ^= 0x01;
		verify01(&t, &Policy::default())
	};
	// collection tag 399 (0xD9 0x01 0x8F): another tag
	assert_eq!(flip(2), Err(AttestationError::Parse(ParseRegion::Header)));
	// platform signature (last byte) and platform claims (the challenge)
	assert_eq!(flip(p_at + platform.len() - 1), Err(AttestationError::PlatformSignature));
	let nonce_at = find(&platform, &hex::decode("b5973cb68baa9fc5").unwrap());
	assert_eq!(flip(p_at + nonce_at), Err(AttestationError::PlatformSignature));
	// the instance ID: no anchor names the platform any more
	let id_at = find(&platform, &cca::TFA_FVP_TEST_INSTANCE_ID);
	assert_eq!(flip(p_at + id_at + 5), Err(AttestationError::Chain));
	// realm signature and realm claims (the challenge, the RIM)
	assert_eq!(flip(r_at + realm.len() - 1), Err(AttestationError::RealmSignature));
	assert_eq!(flip(r_at + realm.len() - 96), Err(AttestationError::RealmSignature));
	let ch_at = find(&realm, &[0xAB; 64]);
	assert_eq!(flip(r_at + ch_at + 5), Err(AttestationError::RealmSignature));
	// every byte of both tokens: never accepted
	for i in p_at..p_at + platform.len() {
		assert!(flip(i).is_err(), "platform byte {i}");
	}
	for i in r_at..r_at + realm.len() {
		assert!(flip(i).is_err(), "realm byte {i}");
	}
}

/// The workload of `cca-token-01`: its RIM and REMs as the token's realm claims carry them
/// (decoded here independently), and the digest of its platform software components.
#[test]
fn workload_is_the_rim_the_rems_and_the_platform_software() {
	let v = verify01(&token01(), &Policy::default()).unwrap();
	let (platform, realm) = parts(&token01());
	let realm: Value = ciborium::de::from_reader(payload(&realm).as_slice()).unwrap();
	let claim = |m: &Value, k: i64| {
		m.as_map().unwrap().iter().find(|(key, _)| *key == int(k)).unwrap().1.clone()
	};
	let rems = claim(&realm, 44239);
	let rems: Vec<Vec<u8>> =
		rems.as_array().unwrap().iter().map(|r| r.as_bytes().unwrap().clone()).collect();
	let platform: Value = ciborium::de::from_reader(payload(&platform).as_slice()).unwrap();
	let components = claim(&platform, 2399);
	let mut digest = sha2::Sha256::new();
	for c in components.as_array().unwrap() {
		let value = c
			.as_map()
			.unwrap()
			.iter()
			.find(|(k, _)| *k == int(2))
			.unwrap()
			.1
			.as_bytes()
			.unwrap()
			.clone();
		digest.update([value.len() as u8]);
		digest.update(&value);
	}
	let Workload::Cca(w) = v.workload else { panic!("not a realm: {:?}", v.workload) };
	assert_eq!(w.rim, v.measurement);
	assert_eq!(rems.len(), 4);
	for (got, want) in w.rem.iter().zip(&rems) {
		assert_eq!(&got[..want.len()], &want[..]);
		assert!(got[want.len()..].iter().all(|b| *b == 0));
	}
	assert_eq!(w.platform_software, <[u8; 32]>::from(digest.finalize()));
	assert_eq!(cca::workload_of(&token01()), Ok(v.workload));
	assert_eq!(aicf_attestation_verify::workload_of(EvidenceKind::Cca, &token01()), Ok(v.workload));
	assert_ne!(w.platform_software, <[u8; 32]>::from(sha2::Sha256::digest(b"")));
}

/// A realm is admitted only by a rule naming its RIM and every REM (and, where the rule names
/// it, its platform software); an empty allowlist admits nothing unless `any_workload`.
#[test]
fn workload_rules_pin_the_rim_every_rem_and_the_platform_software() {
	let token = build(|_| {});
	let Workload::Cca(w) = verify_built(&token, &Policy::default()).unwrap().workload else {
		panic!("not a realm")
	};
	assert_eq!(w.rim, [0x42; 48]);
	assert_eq!(w.rem[1], [0x43; 48]);
	let mut components = sha2::Sha256::new();
	for m in [[0x51u8; 32], [0x52; 32]] {
		components.update([32u8]);
		components.update(m);
	}
	assert_eq!(w.platform_software, <[u8; 32]>::from(components.finalize()));
	let only = |rules: Vec<WorkloadRule>| Policy {
		workloads: rules,
		any_workload: false,
		..Policy::default()
	};
	let exact = WorkloadRule::exact(&Workload::Cca(w)).unwrap();
	assert!(verify_built(&token, &only(vec![exact])).is_ok());
	let any_platform = WorkloadRule::Cca {
		rim: w.rim,
		rem: w.rem,
		personalization: w.personalization,
		platform_software: None,
	};
	assert!(verify_built(&token, &only(vec![any_platform])).is_ok());
	assert_eq!(verify_built(&token, &only(vec![])), Err(AttestationError::Measurement));
	let mut refused = vec![];
	let mut rim = w.rim;
	rim[0] ^= 1;
	refused.push(WorkloadRule::Cca {
		rim,
		rem: w.rem,
		personalization: w.personalization,
		platform_software: None,
	});
	for i in 0..4 {
		let mut rem = w.rem;
		rem[i][47] ^= 1;
		refused.push(WorkloadRule::Cca {
			rim: w.rim,
			rem,
			personalization: w.personalization,
			platform_software: None,
		});
	}
	refused.push(WorkloadRule::Cca {
		rim: w.rim,
		rem: w.rem,
		personalization: w.personalization,
		platform_software: Some([9; 32]),
	});
	// a host-chosen personalization value other than the pinned one
	let mut personalization = w.personalization;
	personalization[63] ^= 1;
	refused.push(WorkloadRule::Cca {
		rim: w.rim,
		rem: w.rem,
		personalization,
		platform_software: None,
	});
	let other_rpv = build(|s| s.personalization = vec![0x99; 64]);
	assert_eq!(
		verify_built(&other_rpv, &only(vec![any_platform])),
		Err(AttestationError::Measurement)
	);
	for rule in &refused {
		assert_eq!(
			verify_built(&token, &only(vec![*rule])),
			Err(AttestationError::Measurement),
			"{rule:?}"
		);
	}
	// a rule for another kind never admits a realm
	let tdx = WorkloadRule::Tdx(aicf_attestation_verify::TdxWorkload {
		mr_td: w.rim,
		mr_config_id: [0; 48],
		mr_owner: [0; 48],
		mr_owner_config: [0; 48],
		rtmr: w.rem,
		xfam: 0,
	});
	assert_eq!(verify_built(&token, &only(vec![tdx])), Err(AttestationError::Measurement));
	// any rule that admits it is enough, and a platform with other software is refused by a
	// rule pinning this one's
	refused.push(exact);
	assert!(verify_built(&token, &only(refused)).is_ok());
	let other_platform = build(|s| s.sw_components = vec![vec![0x51; 32], vec![0x53; 32]]);
	assert_eq!(
		verify_built(&other_platform, &only(vec![exact])),
		Err(AttestationError::Measurement)
	);
	assert!(verify_built(&other_platform, &only(vec![any_platform])).is_ok());
}

/// REMs must be four byte strings as long as the RIM; software components must be maps
/// with a measurement value of 1 to 64 bytes.
#[test]
fn malformed_rems_and_software_components_are_claims_errors() {
	let claims = Err(AttestationError::Parse(ParseRegion::Claims));
	for rem in [vec![vec![0; 48]; 3], vec![vec![0; 48]; 5], vec![vec![0; 32]; 4], vec![]] {
		assert_eq!(verify_built(&build(|s| s.rem = rem.clone()), &Policy::default()), claims);
	}
	for rpv in [vec![0; 63], vec![0; 65]] {
		assert_eq!(
			verify_built(&build(|s| s.personalization = rpv.clone()), &Policy::default()),
			claims
		);
	}
	for components in [vec![vec![]], vec![vec![1; 65]]] {
		let token = build(|s| s.sw_components = components.clone());
		assert_eq!(verify_built(&token, &Policy::default()), claims);
	}
	// no software components: the digest of nothing
	let Workload::Cca(w) =
		verify_built(&build(|s| s.sw_components = vec![]), &Policy::default()).unwrap().workload
	else {
		panic!()
	};
	assert_eq!(w.platform_software, <[u8; 32]>::from(sha2::Sha256::digest(b"")));
}

#[test]
fn realm_challenge_must_bind_the_provider() {
	for binding in [&provider_binding(b"p")[..], &[][..], &[0xAB; 65][..]] {
		assert_eq!(
			cca::verify(&token01(), &[&anchor()], &Policy::default(), binding, NOW),
			Err(AttestationError::ReportDataBinding)
		);
	}
}

#[test]
fn truncated_oversized_and_random_tokens_are_parse_errors() {
	let token = token01();
	let p = Policy::default();
	for len in [0, 1, 3, 10, token.len() / 2, token.len() - 1] {
		assert_eq!(
			cca::verify(&token[..len], &[&anchor()], &p, &CHALLENGE_01[..32], NOW),
			Err(AttestationError::Parse(ParseRegion::Header)),
			"len {len}"
		);
	}
	let mut trailing = token.clone();
	trailing.push(0);
	assert_eq!(verify01(&trailing, &p), Err(AttestationError::Parse(ParseRegion::Header)));
	let mut huge = token.clone();
	huge.resize(cca::MAX_TOKEN_LEN + 1, 0);
	assert_eq!(verify01(&huge, &p), Err(AttestationError::Parse(ParseRegion::Header)));
	// a byte string claiming 2^63 bytes, deep nesting
	assert!(verify01(
		&[0xD9, 0x01, 0x8F, 0x5B, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
		&p
	)
	.is_err());
	assert!(verify01(&[0x81; 10_000], &p).is_err());
	let mut x: u64 = 0x2545F4914F6CDD1D;
	for len in (0..4000).step_by(41) {
		let bytes: Vec<u8> = (0..len)
			.map(|_| {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				x as u8
			})
			.collect();
		assert!(verify01(&bytes, &p).is_err());
		let mut tagged = vec![0xD9, 0x01, 0x8F];
		tagged.extend_from_slice(&bytes);
		assert!(verify01(&tagged, &p).is_err());
	}
}

// ---- tokens built with the development platform's keys ----

fn int(k: i64) -> Value {
	Value::Integer(k.into())
}

/// A token with the default claims bound to `realm-provider`, changed by `f`.
fn build(f: impl FnOnce(&mut TokenSpec)) -> Vec<u8> {
	let mut spec = TokenSpec::bound_to(&provider_binding(b"realm-provider"));
	f(&mut spec);
	dev_cca::token(&spec).unwrap()
}

fn verify_built(
	token: &[u8],
	policy: &Policy,
) -> Result<aicf_attestation_verify::Verified, AttestationError> {
	let anchors = dev_anchors();
	let anchors: Vec<&[u8]> = anchors.iter().map(|a| a.as_slice()).collect();
	cca::verify(token, &anchors, policy, &provider_binding(b"realm-provider"), NOW)
}

const ALGS: [PlatformAlg; 3] = [PlatformAlg::Es256, PlatformAlg::Es384, PlatformAlg::Es512];

/// The development platform's anchors, one per curve.
fn dev_anchors() -> Vec<Vec<u8>> {
	ALGS.iter().map(|a| dev_cca::trust_anchor_der(*a).unwrap()).collect()
}

/// Platform tokens signed with ES256, ES384 and ES512 (P-256, P-384 and P-521 platform keys)
/// verify; a token whose algorithm is not its anchor key's curve, or signed by another
/// platform's key under this platform's instance ID, has a bad platform signature.
#[test]
fn platform_tokens_of_each_algorithm_verify_under_their_anchor() {
	for alg in ALGS {
		let t = build(|t| t.platform_alg = alg);
		let v = verify_built(&t, &Policy::default());
		assert!(v.is_ok(), "{alg:?}: {v:?}");
		for other in ALGS.into_iter().filter(|o| *o != alg) {
			// Signed by the `alg` key, claiming the `other` platform's instance ID.
			let t = build(|t| {
				t.platform_alg = alg;
				t.instance_id = Some(dev_cca::instance_id(other));
			});
			assert_eq!(
				verify_built(&t, &Policy::default()),
				Err(AttestationError::PlatformSignature),
				"{alg:?} token under the {other:?} anchor"
			);
		}
		// Every byte of the platform signature matters.
		let (platform, _) = parts(&t);
		let at = find(&t, &platform) + platform.len() - 1;
		let mut bad = t.clone();
		bad[at] ^= 1;
		assert_eq!(
			verify_built(&bad, &Policy::default()),
			Err(AttestationError::PlatformSignature)
		);
	}
}

#[test]
fn built_token_with_a_sha384_rak_hash_and_48_byte_rim_verifies() {
	let v = verify_built(&build(|_| {}), &Policy::default()).unwrap();
	assert_eq!(v.measurement, [0x42; 48]);
	assert!(!v.debug);
}

#[test]
fn platform_challenge_that_is_not_the_rak_hash_leaves_the_realm_unbound() {
	let t = build(|t| t.nonce = Some(vec![0; 48]));
	assert_eq!(verify_built(&t, &Policy::default()), Err(AttestationError::RealmNotBound));
	// the right hash under the wrong algorithm name
	let t = build(|t| t.rak_hash_alg = "sha-512");
	assert_eq!(verify_built(&t, &Policy::default()), Err(AttestationError::RealmNotBound));
	let t = build(|t| t.rak_hash_alg = "md5");
	assert_eq!(verify_built(&t, &Policy::default()), Err(AttestationError::Unsupported));
}

#[test]
fn platform_lifecycle_other_than_secured_is_debug() {
	for lifecycle in [0x0000, 0x1000, 0x2000, 0x4000, 0x5001, 0x6000] {
		let t = build(|t| t.lifecycle = lifecycle);
		assert_eq!(
			verify_built(&t, &Policy::default()),
			Err(AttestationError::Debug),
			"{lifecycle:#x}"
		);
		let v = verify_built(&t, &Policy { allow_debug: true, ..Policy::default() }).unwrap();
		assert!(v.debug);
	}
	let t = build(|t| t.lifecycle = 0x30FF);
	assert!(!verify_built(&t, &Policy::default()).unwrap().debug);
	let t = build(|t| t.lifecycle = 0x1_0000);
	assert_eq!(
		verify_built(&t, &Policy::default()),
		Err(AttestationError::Parse(ParseRegion::Claims))
	);
}

#[test]
fn unsupported_algorithms_profiles_and_measurements_are_refused() {
	let t = build(|t| t.realm_alg = iana::Algorithm::ES256);
	assert_eq!(verify_built(&t, &Policy::default()), Err(AttestationError::Unsupported));
	let t = build(|t| t.platform_profile = "tag:example.com,2024:other");
	assert_eq!(verify_built(&t, &Policy::default()), Err(AttestationError::Unsupported));
	let t = build(|t| t.rim = vec![0x42; 64]);
	assert_eq!(verify_built(&t, &Policy::default()), Err(AttestationError::Unsupported));
	let t = build(|t| t.challenge = vec![0; 32]);
	assert_eq!(
		verify_built(&t, &Policy::default()),
		Err(AttestationError::Parse(ParseRegion::Claims))
	);
}

#[test]
fn random_mutations_of_the_tokens_never_panic_and_are_never_accepted() {
	let mut x: u64 = 0x0123_4567_89AB_CDEF;
	let mut next = move || {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		x
	};
	for (name, token) in [("01", token01()), ("ffm", token_ffm())] {
		for round in 0..1500 {
			let mut t = token.clone();
			for _ in 0..1 + next() % 4 {
				let i = (next() % t.len() as u64) as usize;
				t[i] = next() as u8;
			}
			if next() % 8 == 0 {
				let keep = (next() % t.len() as u64) as usize;
				t.truncate(keep);
			}
			let r = cca::verify(&t, &[&anchor()], &Policy::default(), &[0xAB; 1], NOW);
			// the ffm token's challenge is not 0xAB..; only the unchanged token 01 can pass
			assert!(r.is_err() || (t == token && name == "01"), "{name} round {round}");
		}
	}
}

fn collection(entries: Vec<(Value, Value)>) -> Vec<u8> {
	let mut out = Vec::new();
	ciborium::ser::into_writer(&Value::Tag(399, Box::new(Value::Map(entries))), &mut out).unwrap();
	out
}

#[test]
fn malformed_collections_and_cose_envelopes_are_parse_errors() {
	let (platform, realm) = parts(&token01());
	let header = Err(AttestationError::Parse(ParseRegion::Header));
	let envelope = Err(AttestationError::Parse(ParseRegion::Signature));
	let bytes = |b: &[u8]| Value::Bytes(b.to_vec());
	let cases = vec![
		// missing realm token, an extra key, a duplicate key, a text value, untagged collection
		(collection(vec![(int(44234), bytes(&platform))]), header.clone()),
		(
			collection(vec![
				(int(44234), bytes(&platform)),
				(int(44241), bytes(&realm)),
				(int(1), bytes(b"x")),
			]),
			header.clone(),
		),
		(
			collection(vec![
				(int(44234), bytes(&platform)),
				(int(44241), bytes(&realm)),
				(int(44241), bytes(&realm)),
			]),
			header.clone(),
		),
		(
			collection(vec![(int(44234), bytes(&platform)), (int(44241), Value::Text("x".into()))]),
			header.clone(),
		),
		// the platform token untagged (COSE_Sign1 without tag 18), or not COSE at all
		(
			collection(vec![(int(44234), bytes(&platform[1..])), (int(44241), bytes(&realm))]),
			envelope.clone(),
		),
		(
			collection(vec![(int(44234), bytes(b"\xd2\x80")), (int(44241), bytes(&realm))]),
			envelope.clone(),
		),
		(
			collection(vec![
				(int(44234), bytes(&platform)),
				(int(44241), bytes(&[0xd2, 0x84, 0x40, 0xa0, 0xf6, 0x40])),
			]),
			envelope.clone(),
		),
	];
	for (i, (token, expected)) in cases.into_iter().enumerate() {
		assert_eq!(verify01(&token, &Policy::default()).map(|_| ()), expected, "case {i}");
	}
	let mut untagged = Vec::new();
	ciborium::ser::into_writer(
		&Value::Map(vec![(int(44234), bytes(&platform)), (int(44241), bytes(&realm))]),
		&mut untagged,
	)
	.unwrap();
	assert_eq!(
		verify01(&untagged, &Policy::default()),
		Err(AttestationError::Parse(ParseRegion::Header))
	);
	// the same parts re-assembled verify: the helpers above build real collections
	assert!(verify01(
		&collection(vec![(int(44234), bytes(&platform)), (int(44241), bytes(&realm))]),
		&Policy::default()
	)
	.is_ok());
}
