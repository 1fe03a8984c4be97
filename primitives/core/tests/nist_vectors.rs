//! The PQ implementations against NIST ACVP and Wycheproof vectors in `../shared/fixtures`.
//!
//! Each fixture folder's `PROVENANCE.md` lists every case and its expected verdict; these tests
//! check every case and also count them, so a missing or unreadable file fails loudly.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use aicf_primitives::{
	crypto::{ml_dsa65_verify, KeyAlgorithm, SIGNING_CONTEXT},
	keys::RegistryKeypair,
};
use ml_dsa::signature::Keypair as _;
use serde_json::Value;
use std::path::PathBuf;

fn fixtures() -> PathBuf {
	std::env::var_os("AICF_FIXTURES").map(PathBuf::from).unwrap_or_else(|| {
		PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures")
	})
}

fn load(rel: &str) -> Value {
	let path = fixtures().join(rel);
	let text = std::fs::read_to_string(&path)
		.unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", path.display()));
	serde_json::from_str(&text).unwrap()
}

fn hexf(v: &Value) -> Vec<u8> {
	hex::decode(v.as_str().unwrap()).unwrap()
}

fn truthy(v: &Value) -> bool {
	match v {
		Value::Bool(b) => *b,
		Value::String(s) => s.eq_ignore_ascii_case("true"),
		other => panic!("not a boolean: {other}"),
	}
}

fn ml_dsa_verify_internal<P: ml_dsa::MlDsaParams>(pk: &[u8], msg: &[u8], sig: &[u8]) -> bool {
	let Ok(enc) = ml_dsa::EncodedVerifyingKey::<P>::try_from(pk) else { return false };
	let vk = ml_dsa::VerifyingKey::<P>::decode(&enc);
	let Ok(sig) = ml_dsa::Signature::<P>::try_from(sig) else { return false };
	vk.verify_internal(msg, &sig)
}

#[test]
fn ml_dsa_acvp_sigver_every_case_gives_the_expected_verdict() {
	let doc = load("mldsa/acvp/ML-DSA-sigVer-FIPS204/internalProjection.reduced.json");
	let mut checked = 0;
	for group in doc["testGroups"].as_array().unwrap() {
		let pk = hexf(&group["pk"]);
		let set = group["parameterSet"].as_str().unwrap();
		for case in group["tests"].as_array().unwrap() {
			let (msg, sig) = (hexf(&case["message"]), hexf(&case["signature"]));
			let got = match set {
				"ML-DSA-44" => ml_dsa_verify_internal::<ml_dsa::MlDsa44>(&pk, &msg, &sig),
				"ML-DSA-65" => ml_dsa_verify_internal::<ml_dsa::MlDsa65>(&pk, &msg, &sig),
				"ML-DSA-87" => ml_dsa_verify_internal::<ml_dsa::MlDsa87>(&pk, &msg, &sig),
				other => panic!("unexpected parameter set {other}"),
			};
			assert_eq!(got, truthy(&case["testPassed"]), "{set} tcId {}", case["tcId"]);
			checked += 1;
		}
	}
	assert_eq!(checked, 30);
}

#[test]
#[allow(deprecated)] // `to_expanded` is the only way to compare the FIPS 204 `sk` encoding
fn ml_dsa_acvp_keygen_reproduces_every_key() {
	let doc = load("mldsa/acvp/ML-DSA-keyGen-FIPS204/internalProjection.reduced.json");
	let mut checked = 0;
	for group in doc["testGroups"].as_array().unwrap() {
		let set = group["parameterSet"].as_str().unwrap();
		for case in group["tests"].as_array().unwrap() {
			let seed: [u8; 32] = hexf(&case["seed"]).try_into().unwrap();
			let (pk, sk) = (hexf(&case["pk"]), hexf(&case["sk"]));
			let seed_arr = ml_dsa::Seed::from(seed);
			macro_rules! check {
				($p:ty) => {{
					let kp = ml_dsa::SigningKey::<$p>::from_seed(&seed_arr);
					assert_eq!(
						kp.verifying_key().encode().as_slice(),
						&pk[..],
						"pk tcId {}",
						case["tcId"]
					);
					assert_eq!(
						kp.expanded_key().to_expanded().as_slice(),
						&sk[..],
						"sk tcId {}",
						case["tcId"]
					);
				}};
			}
			match set {
				"ML-DSA-44" => check!(ml_dsa::MlDsa44),
				"ML-DSA-65" => {
					check!(ml_dsa::MlDsa65);
					// The registry's own key type derives the same public key.
					let ours = RegistryKeypair::from_ml_dsa_seed(&seed).public();
					assert_eq!(ours.alg, KeyAlgorithm::MlDsa65);
					assert_eq!(&ours.bytes[..], &pk[..]);
				},
				"ML-DSA-87" => check!(ml_dsa::MlDsa87),
				other => panic!("unexpected parameter set {other}"),
			}
			checked += 1;
		}
	}
	assert_eq!(checked, 50);
}

#[test]
fn ml_dsa_65_wycheproof_every_case_gives_the_expected_verdict() {
	let mut checked = 0;
	for part in ["part1", "part2"] {
		let doc = load(&format!(
			"mldsa/wycheproof/testvectors_v1/mldsa_65_verify_test.reduced.{part}.json"
		));
		for group in doc["testGroups"].as_array().unwrap() {
			let pk = hexf(&group["publicKey"]);
			for case in group["tests"].as_array().unwrap() {
				let msg = hexf(&case["msg"]);
				let sig = hexf(&case["sig"]);
				let ctx = case.get("ctx").map(hexf).unwrap_or_default();
				// The registry's own verifier, pure interface with an explicit context.
				let got = ml_dsa65_verify(&pk, &msg, &ctx, &sig).is_ok();
				let want = match case["result"].as_str().unwrap() {
					"valid" => true,
					"invalid" => false,
					other => panic!("unexpected result {other}"),
				};
				assert_eq!(got, want, "tcId {} ({})", case["tcId"], case["comment"]);
				checked += 1;
			}
		}
	}
	assert_eq!(checked, 56 + 84);
}

fn slh_verify_internal<P>(pk: &[u8], msg: &[u8], sig: &[u8]) -> bool
where
	P: slh_dsa::ParameterSet + slh_dsa::VerifyingKeyLen,
{
	let Ok(vk) = slh_dsa::VerifyingKey::<P>::try_from(pk) else { return false };
	let Ok(sig) = slh_dsa::Signature::<P>::try_from(sig) else { return false };
	vk.slh_verify_internal(&[msg], &sig).is_ok()
}

#[test]
fn slh_dsa_acvp_sigver_every_case_gives_the_expected_verdict() {
	let doc = load("slhdsa/acvp/SLH-DSA-sigVer-FIPS205/internalProjection.reduced.json");
	let mut checked = 0;
	for group in doc["testGroups"].as_array().unwrap() {
		let set = group["parameterSet"].as_str().unwrap();
		for case in group["tests"].as_array().unwrap() {
			let (pk, msg, sig) =
				(hexf(&case["pk"]), hexf(&case["message"]), hexf(&case["signature"]));
			let got = match set {
				"SLH-DSA-SHA2-192s" => slh_verify_internal::<slh_dsa::Sha2_192s>(&pk, &msg, &sig),
				"SLH-DSA-SHAKE-192s" => slh_verify_internal::<slh_dsa::Shake192s>(&pk, &msg, &sig),
				"SLH-DSA-SHAKE-128f" => slh_verify_internal::<slh_dsa::Shake128f>(&pk, &msg, &sig),
				other => panic!("unexpected parameter set {other}"),
			};
			assert_eq!(got, truthy(&case["testPassed"]), "{set} tcId {}", case["tcId"]);
			checked += 1;
		}
	}
	assert_eq!(checked, 18);
}

#[test]
fn slh_dsa_acvp_keygen_reproduces_every_key() {
	let doc = load("slhdsa/acvp/SLH-DSA-keyGen-FIPS205/internalProjection.reduced.json");
	let mut checked = 0;
	for group in doc["testGroups"].as_array().unwrap() {
		let set = group["parameterSet"].as_str().unwrap();
		for case in group["tests"].as_array().unwrap() {
			let (sk_seed, sk_prf, pk_seed) =
				(hexf(&case["skSeed"]), hexf(&case["skPrf"]), hexf(&case["pkSeed"]));
			let (pk, sk) = (hexf(&case["pk"]), hexf(&case["sk"]));
			macro_rules! check {
				($p:ty) => {{
					let key =
						slh_dsa::SigningKey::<$p>::slh_keygen_internal(&sk_seed, &sk_prf, &pk_seed);
					assert_eq!(key.to_bytes().as_slice(), &sk[..], "sk tcId {}", case["tcId"]);
					assert_eq!(key.verifying_key().to_bytes().as_slice(), &pk[..]);
				}};
			}
			match set {
				"SLH-DSA-SHA2-128s" => {
					check!(slh_dsa::Sha2_128s);
					let ours = RegistryKeypair::from_slh_dsa_seeds(
						&sk_seed.clone().try_into().unwrap(),
						&sk_prf.clone().try_into().unwrap(),
						&pk_seed.clone().try_into().unwrap(),
					)
					.public();
					assert_eq!(&ours.bytes[..], &pk[..]);
				},
				"SLH-DSA-SHA2-192f" => check!(slh_dsa::Sha2_192f),
				"SLH-DSA-SHAKE-192s" => check!(slh_dsa::Shake192s),
				"SLH-DSA-SHAKE-256f" => check!(slh_dsa::Shake256f),
				other => panic!("unexpected parameter set {other}"),
			}
			checked += 1;
		}
	}
	assert_eq!(checked, 27);
}

#[test]
fn slh_dsa_sha2_128s_boringssl_records_give_the_expected_verdict() {
	let path =
		fixtures().join("slhdsa/boringssl/crypto/slhdsa/slhdsa_sha2_128s_sigver.reduced.txt");
	let text = std::fs::read_to_string(&path).unwrap();
	let mut verdicts = Vec::new();
	for record in text.split("\n\n") {
		let field = |name: &str| {
			record
				.lines()
				.find_map(|l| l.strip_prefix(&format!("{name}: ")))
				.map(|v| v.trim().to_string())
		};
		let (Some(pk), Some(msg), Some(sig), Some(valid)) =
			(field("pub"), field("msg"), field("sig"), field("valid"))
		else {
			continue;
		};
		let (pk, msg, sig) =
			(hex::decode(pk).unwrap(), hex::decode(msg).unwrap(), hex::decode(sig).unwrap());
		let got = slh_verify_internal::<slh_dsa::Sha2_128s>(&pk, &msg, &sig);
		assert_eq!(got, valid == "true", "record with {}-byte msg", msg.len());
		verdicts.push(got);
	}
	// PROVENANCE.md: records 0,1,3,4,6,7 → false,true,true,false,false,false.
	assert_eq!(verdicts, [false, true, true, false, false, false]);
}

#[test]
fn registry_signatures_use_the_pure_interface_with_the_aicf_context() {
	// A registry signature verifies under the pure interface with SIGNING_CONTEXT and under no
	// other context, so it cannot be confused with a signature made for another protocol.
	let kp = RegistryKeypair::from_ml_dsa_seed(&[3u8; 32]);
	let sig = kp.sign(b"m").unwrap();
	assert!(ml_dsa65_verify(&kp.public().bytes, b"m", SIGNING_CONTEXT, &sig).is_ok());
	assert!(ml_dsa65_verify(&kp.public().bytes, b"m", b"", &sig).is_err());
}
