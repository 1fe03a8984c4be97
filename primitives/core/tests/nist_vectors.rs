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
	crypto::{ml_dsa65_verify, portable, slh_dsa128s_verify, KeyAlgorithm, SIGNING_CONTEXT},
	host::{aicf_crypto, native},
	keys::RegistryKeypair,
	VerifyError,
};
use libcrux_ml_dsa::ml_dsa_65::{MLDSA65Signature, MLDSA65VerificationKey};
use ml_dsa::signature::Keypair as _;
use serde_json::Value;
use std::path::PathBuf;

/// The package directory, read when the tests run (cargo sets it), so a test binary built in
/// another checkout sharing the target directory still finds the fixtures beside this one.
fn manifest_dir() -> PathBuf {
	std::env::var_os("CARGO_MANIFEST_DIR")
		.map(PathBuf::from)
		.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn fixtures() -> PathBuf {
	std::env::var_os("AICF_FIXTURES")
		.map(PathBuf::from)
		.unwrap_or_else(|| manifest_dir().join("../../../shared/fixtures"))
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
	let mut libcrux_checked = 0;
	for group in doc["testGroups"].as_array().unwrap() {
		let pk = hexf(&group["pk"]);
		let set = group["parameterSet"].as_str().unwrap();
		for case in group["tests"].as_array().unwrap() {
			let (msg, sig) = (hexf(&case["message"]), hexf(&case["signature"]));
			let got = match set {
				"ML-DSA-44" => ml_dsa_verify_internal::<ml_dsa::MlDsa44>(&pk, &msg, &sig),
				"ML-DSA-65" => {
					let got = ml_dsa_verify_internal::<ml_dsa::MlDsa65>(&pk, &msg, &sig);
					// The host's verifier (`libcrux-ml-dsa`) gives the same verdict on its
					// core, in each of its code paths.
					for (path, verify) in libcrux_paths() {
						let arrays = libcrux_arrays(&pk, &sig);
						let host = arrays.is_some_and(|(pk, sig)| {
							verify(LibcruxInput::Internal { pk: &pk, msg: &msg, sig: &sig })
						});
						assert_eq!(host, got, "libcrux {path} tcId {}", case["tcId"]);
						libcrux_checked += 1;
					}
					got
				},
				"ML-DSA-87" => ml_dsa_verify_internal::<ml_dsa::MlDsa87>(&pk, &msg, &sig),
				other => panic!("unexpected parameter set {other}"),
			};
			assert_eq!(got, truthy(&case["testPassed"]), "{set} tcId {}", case["tcId"]);
			checked += 1;
		}
	}
	assert_eq!(checked, 30);
	assert!(libcrux_checked > 0, "no ML-DSA-65 case in the ACVP file");
}

/// One ML-DSA-65 verification for libcrux: the internal interface (ACVP) or the pure one.
enum LibcruxInput<'a> {
	Internal { pk: &'a MLDSA65VerificationKey, msg: &'a [u8], sig: &'a MLDSA65Signature },
	Pure { pk: &'a MLDSA65VerificationKey, msg: &'a [u8], ctx: &'a [u8], sig: &'a MLDSA65Signature },
}

fn libcrux_arrays(pk: &[u8], sig: &[u8]) -> Option<(MLDSA65VerificationKey, MLDSA65Signature)> {
	Some((
		MLDSA65VerificationKey::new(pk.try_into().ok()?),
		MLDSA65Signature::new(sig.try_into().ok()?),
	))
}

/// A named libcrux verification path.
type LibcruxPath = (&'static str, fn(LibcruxInput) -> bool);

/// libcrux's ML-DSA-65 code paths: the portable one always, and the AVX2 one where this CPU has
/// AVX2 (the host function picks between them at run time, so both must agree everywhere).
fn libcrux_paths() -> Vec<LibcruxPath> {
	fn portable(input: LibcruxInput) -> bool {
		use libcrux_ml_dsa::ml_dsa_65::portable::{verify, verify_internal};
		match input {
			LibcruxInput::Internal { pk, msg, sig } => verify_internal(pk, msg, sig).is_ok(),
			LibcruxInput::Pure { pk, msg, ctx, sig } => verify(pk, msg, ctx, sig).is_ok(),
		}
	}
	#[allow(unused_mut)]
	let mut paths: Vec<LibcruxPath> = vec![("portable", portable)];
	#[cfg(target_arch = "x86_64")]
	if std::arch::is_x86_feature_detected!("avx2") {
		fn avx2(input: LibcruxInput) -> bool {
			use libcrux_ml_dsa::ml_dsa_65::avx2::{verify, verify_internal};
			match input {
				LibcruxInput::Internal { pk, msg, sig } => verify_internal(pk, msg, sig).is_ok(),
				LibcruxInput::Pure { pk, msg, ctx, sig } => verify(pk, msg, ctx, sig).is_ok(),
			}
		}
		paths.push(("avx2", avx2));
	}
	paths
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
				// The registry's own verifier (through the `aicf_crypto` host function, native
				// `libcrux-ml-dsa`), pure interface with an explicit context.
				let got = ml_dsa65_verify(&pk, &msg, &ctx, &sig).is_ok();
				let want = match case["result"].as_str().unwrap() {
					"valid" => true,
					"invalid" => false,
					other => panic!("unexpected result {other}"),
				};
				assert_eq!(got, want, "tcId {} ({})", case["tcId"], case["comment"]);
				// The host function itself, which also sees the malformed lengths, and the
				// portable verifier (`ml-dsa`) agree on every case.
				let host = aicf_crypto::ml_dsa65_verify(&pk, &msg, &ctx, &sig);
				assert_eq!(host, want, "host tcId {} ({})", case["tcId"], case["comment"]);
				let port = portable::ml_dsa65_verify(&pk, &msg, &ctx, &sig).is_ok();
				assert_eq!(port, want, "portable tcId {} ({})", case["tcId"], case["comment"]);
				// So does each of libcrux's code paths behind the host function.
				for (path, verify) in libcrux_paths() {
					let got = libcrux_arrays(&pk, &sig).is_some_and(|(pk, sig)| {
						verify(LibcruxInput::Pure { pk: &pk, msg: &msg, ctx: &ctx, sig: &sig })
					});
					assert_eq!(
						got, want,
						"libcrux {path} tcId {} ({})",
						case["tcId"], case["comment"]
					);
				}
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

#[test]
fn slh_dsa_registry_signatures_verify_through_the_host_function_and_agree_with_portable() {
	let kp = RegistryKeypair::from_slh_dsa_seeds(&[5u8; 16], &[6u8; 16], &[7u8; 16]);
	let pk = kp.public().bytes.to_vec();
	let msg = [0x5au8; 150];
	let sig = kp.sign(&msg).unwrap().to_vec();
	let verdict = |msg: &[u8], ctx: &[u8], sig: &[u8]| {
		let host = aicf_crypto::slh_dsa_sha2_128s_verify(&pk, msg, ctx, sig);
		assert_eq!(host, native::slh_dsa_sha2_128s_verify(&pk, msg, ctx, sig));
		assert_eq!(host, portable::slh_dsa128s_verify(&pk, msg, ctx, sig).is_ok());
		assert_eq!(host, slh_dsa128s_verify(&pk, msg, ctx, sig).is_ok());
		host
	};
	assert!(verdict(&msg, SIGNING_CONTEXT, &sig));
	assert!(!verdict(&msg, b"", &sig), "another context");
	assert!(!verdict(&msg[1..], SIGNING_CONTEXT, &sig), "another message");
	for i in [0, 16, 4000, sig.len() - 1] {
		let mut bad = sig.clone();
		bad[i] ^= 1;
		assert!(!verdict(&msg, SIGNING_CONTEXT, &bad), "flipped byte {i}");
	}
}

#[test]
fn ml_dsa_registry_signatures_agree_between_host_and_portable_verifiers() {
	let kp = RegistryKeypair::from_ml_dsa_seed(&[9u8; 32]);
	let pk = kp.public().bytes.to_vec();
	let msg = [0x5au8; 150];
	let sig = kp.sign(&msg).unwrap().to_vec();
	let verdict = |msg: &[u8], ctx: &[u8], sig: &[u8]| {
		let host = aicf_crypto::ml_dsa65_verify(&pk, msg, ctx, sig);
		assert_eq!(host, native::ml_dsa65_verify(&pk, msg, ctx, sig));
		assert_eq!(host, portable::ml_dsa65_verify(&pk, msg, ctx, sig).is_ok());
		host
	};
	assert!(verdict(&msg, SIGNING_CONTEXT, &sig));
	assert!(!verdict(&msg, b"aicf-registrz", &sig), "another context");
	assert!(!verdict(&msg[..149], SIGNING_CONTEXT, &sig), "another message");
	for i in [0, 32, 2000, sig.len() - 1] {
		let mut bad = sig.clone();
		bad[i] ^= 0x80;
		assert!(!verdict(&msg, SIGNING_CONTEXT, &bad), "flipped byte {i}");
	}
}

#[test]
fn host_functions_reject_malformed_inputs_without_panicking() {
	let ml = RegistryKeypair::from_ml_dsa_seed(&[1u8; 32]);
	let (ml_pk, ml_sig) = (ml.public().bytes.to_vec(), ml.sign(b"m").unwrap().to_vec());
	let slh = RegistryKeypair::from_slh_dsa_seeds(&[1u8; 16], &[2u8; 16], &[3u8; 16]);
	let (slh_pk, slh_sig) = (slh.public().bytes.to_vec(), slh.sign(b"m").unwrap().to_vec());
	let long_ctx = [0u8; 256];
	for (pk, sig, f) in [
		(&ml_pk, &ml_sig, aicf_crypto::ml_dsa65_verify as fn(&[u8], &[u8], &[u8], &[u8]) -> bool),
		(&slh_pk, &slh_sig, aicf_crypto::slh_dsa_sha2_128s_verify),
	] {
		assert!(f(pk, b"m", SIGNING_CONTEXT, sig));
		assert!(!f(&pk[1..], b"m", SIGNING_CONTEXT, sig), "short key");
		assert!(!f(&[pk.as_slice(), &[0]].concat(), b"m", SIGNING_CONTEXT, sig), "long key");
		assert!(!f(pk, b"m", SIGNING_CONTEXT, &sig[1..]), "short signature");
		assert!(!f(pk, b"m", SIGNING_CONTEXT, &[sig.as_slice(), &[0]].concat()), "long signature");
		assert!(!f(pk, b"m", &long_ctx, sig), "context over 255 bytes");
		assert!(!f(&[], &[], &[], &[]), "all empty");
		assert!(!f(&vec![0xff; pk.len()], b"m", SIGNING_CONTEXT, &vec![0xff; sig.len()]));
	}
}

#[test]
fn verify_errors_name_the_malformed_part() {
	let ml = RegistryKeypair::from_ml_dsa_seed(&[1u8; 32]);
	let (pk, sig) = (ml.public().bytes.to_vec(), ml.sign(b"m").unwrap().to_vec());
	assert_eq!(
		ml_dsa65_verify(&pk[1..], b"m", SIGNING_CONTEXT, &sig),
		Err(VerifyError::PublicKeyLength)
	);
	assert_eq!(
		ml_dsa65_verify(&pk, b"m", SIGNING_CONTEXT, &sig[1..]),
		Err(VerifyError::BadSignature)
	);
	assert_eq!(ml_dsa65_verify(&pk, b"n", SIGNING_CONTEXT, &sig), Err(VerifyError::BadSignature));
	let slh = RegistryKeypair::from_slh_dsa_seeds(&[1u8; 16], &[2u8; 16], &[3u8; 16]);
	let (pk, sig) = (slh.public().bytes.to_vec(), slh.sign(b"m").unwrap().to_vec());
	assert_eq!(slh_dsa128s_verify(&pk, b"m", SIGNING_CONTEXT, &sig), Ok(()));
	assert_eq!(
		slh_dsa128s_verify(&pk[1..], b"m", SIGNING_CONTEXT, &sig),
		Err(VerifyError::PublicKeyLength)
	);
	assert_eq!(
		slh_dsa128s_verify(&pk, b"m", SIGNING_CONTEXT, &sig[1..]),
		Err(VerifyError::BadSignature)
	);
	assert_eq!(
		slh_dsa128s_verify(&pk, b"n", SIGNING_CONTEXT, &sig),
		Err(VerifyError::BadSignature)
	);
}

#[test]
fn the_runtime_imports_exactly_the_version_1_aicf_crypto_host_functions() {
	use sp_runtime_interface::sp_wasm_interface::HostFunctions as _;
	let names: Vec<String> =
		aicf_crypto::HostFunctions::host_functions().iter().map(|f| f.name().to_string()).collect();
	assert_eq!(
		names,
		[
			"ext_aicf_crypto_ecdsa_p256_sha256_verify_version_1",
			"ext_aicf_crypto_ecdsa_p384_sha384_verify_version_1",
			"ext_aicf_crypto_ecdsa_p521_sha512_verify_version_1",
			"ext_aicf_crypto_ml_dsa65_verify_version_1",
			"ext_aicf_crypto_rsa_pss_sha384_verify_version_1",
			"ext_aicf_crypto_slh_dsa_sha2_128s_verify_version_1",
		]
	);
}
