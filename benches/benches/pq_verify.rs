//! PQ signature verification, natively: the registry's entry point
//! (`aicf_primitives::crypto::verify`, which goes through the `aicf_crypto` host function:
//! `libcrux-ml-dsa` for ML-DSA-65, AVX2 where the CPU has it, `slh-dsa` for SLH-DSA-SHA2-128s),
//! the portable verifiers the runtime used to run in wasm (RustCrypto `ml-dsa` / `slh-dsa`,
//! `aicf_primitives::crypto::portable`), libcrux's portable code (the host function on a CPU
//! without AVX2) and the alternative crates `fips204` / `fips205` called directly, on the same
//! message size as a heartbeat payload.
//!
//! `cargo bench -p aicf-benches --bench pq_verify`

use aicf_primitives::{
	crypto::{portable, verify, KeyAlgorithm, SIGNING_CONTEXT},
	keys::RegistryKeypair,
};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

/// A heartbeat payload is ~150 bytes.
const MSG: [u8; 150] = [0x5a; 150];

fn registry_impl(c: &mut Criterion) {
	let mut g = c.benchmark_group("verify");
	for (alg, name) in
		[(KeyAlgorithm::MlDsa65, "ml-dsa-65"), (KeyAlgorithm::SlhDsaSha2_128s, "slh-dsa-sha2-128s")]
	{
		let kp = RegistryKeypair::generate(alg).unwrap();
		let pk = kp.public();
		let sig = kp.sign(&MSG).unwrap();
		g.bench_function(format!("{name}/registry-host-function"), |b| {
			b.iter(|| verify(alg, black_box(&pk.bytes), black_box(&MSG), black_box(&sig)).unwrap())
		});
		let portable_verify = match alg {
			KeyAlgorithm::MlDsa65 | KeyAlgorithm::Unspecified => portable::ml_dsa65_verify,
			KeyAlgorithm::SlhDsaSha2_128s => portable::slh_dsa128s_verify,
		};
		let portable_name = match alg {
			KeyAlgorithm::MlDsa65 | KeyAlgorithm::Unspecified => "ml-dsa",
			KeyAlgorithm::SlhDsaSha2_128s => "slh-dsa",
		};
		g.bench_function(format!("{name}/{portable_name}"), |b| {
			b.iter(|| {
				portable_verify(
					black_box(&pk.bytes),
					black_box(&MSG),
					SIGNING_CONTEXT,
					black_box(&sig),
				)
				.unwrap()
			})
		});
	}
	g.finish();
}

fn alternative_impl(c: &mut Criterion) {
	let mut g = c.benchmark_group("verify");
	{
		use fips204::{
			ml_dsa_65,
			traits::{SerDes, Signer, Verifier},
		};
		let (pk, sk) = ml_dsa_65::try_keygen().unwrap();
		let sig = sk.try_sign(&MSG, SIGNING_CONTEXT).unwrap();
		g.bench_function("ml-dsa-65/fips204", |b| {
			b.iter(|| assert!(pk.verify(black_box(&MSG), black_box(&sig), SIGNING_CONTEXT)))
		});
		// As the host function runs it: the public key is decoded (and expanded) on every call.
		let pk_bytes = pk.clone().into_bytes();
		g.bench_function("ml-dsa-65/fips204-decode-and-verify", |b| {
			b.iter(|| {
				let pk = ml_dsa_65::PublicKey::try_from_bytes(black_box(pk_bytes)).unwrap();
				assert!(pk.verify(black_box(&MSG), black_box(&sig), SIGNING_CONTEXT))
			})
		});
		// libcrux's portable code: what the host function runs on a CPU without AVX2.
		g.bench_function("ml-dsa-65/libcrux-portable", |b| {
			use libcrux_ml_dsa::ml_dsa_65::{
				portable::verify, MLDSA65Signature, MLDSA65VerificationKey,
			};
			b.iter(|| {
				let vk = MLDSA65VerificationKey::new(black_box(pk_bytes));
				let sig = MLDSA65Signature::new(black_box(sig));
				assert!(verify(&vk, black_box(&MSG), SIGNING_CONTEXT, &sig).is_ok())
			})
		});
	}
	{
		use fips205::{
			slh_dsa_sha2_128s,
			traits::{Signer, Verifier},
		};
		let (pk, sk) = slh_dsa_sha2_128s::try_keygen().unwrap();
		let sig = sk.try_sign(&MSG, SIGNING_CONTEXT, true).unwrap();
		g.bench_function("slh-dsa-sha2-128s/fips205", |b| {
			b.iter(|| assert!(pk.verify(black_box(&MSG), black_box(&sig), SIGNING_CONTEXT)))
		});
	}
	g.finish();
}

criterion_group! {
	name = benches;
	config = Criterion::default().sample_size(30);
	targets = registry_impl, alternative_impl
}
criterion_main!(benches);
