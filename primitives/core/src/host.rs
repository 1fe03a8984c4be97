//! The `aicf_crypto` runtime interface: registry signature verification as host functions.
//!
//! Verifying one post-quantum signature is most of the cost of a heartbeat, and in wasm it is
//! ≈ 3× slower than the portable verifier natively and ≈ 14× slower than the host's ML-DSA
//! implementation (`docs/PERFORMANCE.md` §1). The runtime therefore calls the node through these host
//! functions instead of running the verifier itself:
//!
//! | host function (wasm import) | native implementation |
//! |---|---|
//! | `ext_aicf_crypto_ml_dsa65_verify_version_1` | [`native::ml_dsa65_verify`] (`libcrux-ml-dsa`, AVX2 where available) |
//! | `ext_aicf_crypto_slh_dsa_sha2_128s_verify_version_1` | [`native::slh_dsa_sha2_128s_verify`] (`slh-dsa`) |
//! | `ext_aicf_crypto_ecdsa_p256_sha256_verify_version_1` | [`native::ecdsa_p256_sha256_verify`] (`ring`) |
//! | `ext_aicf_crypto_ecdsa_p384_sha384_verify_version_1` | [`native::ecdsa_p384_sha384_verify`] (`ring`) |
//! | `ext_aicf_crypto_rsa_pss_sha384_verify_version_1` | [`native::rsa_pss_sha384_verify`] (`ring`) |
//! | `ext_aicf_crypto_ecdsa_p521_sha512_verify_version_1` | [`native::ecdsa_p521_sha512_verify`] (RustCrypto `p521`) |
//!
//! The classical functions serve the attestation verifiers (DCAP's P-256 chains, SEV-SNP's
//! RSA-PSS and P-384 chain, CCA's and the quantum facilities' P-384 signatures): in wasm those
//! curves cost 2–8 ms per piece of evidence, natively a tenth of it (`docs/PERFORMANCE.md` §3).
//! Their reference is the portable RustCrypto code in `aicf-attestation-verify` (`sig::portable`),
//! which must give the same verdict on every input: the tests run both on every vendor
//! fixture, the `sig_differential` fuzz target on mutated ones. Both apply the same input rules
//! ([`classical_inputs_ok`]) before any arithmetic.
//!
//! A node executing this chain's runtime must register [`aicf_crypto::HostFunctions`] with its
//! wasm executor (next to `sp_io::SubstrateHostFunctions`); a node without them cannot
//! instantiate the runtime. Outside wasm (the node itself, native tests through
//! `sp_io::TestExternalities`, the CLI) the same functions are plain calls to the native
//! implementation and need no externalities.
//!
//! The interface is versioned: a change of behaviour adds a `#[version(2)]` function and keeps
//! version 1 registered, so blocks made by older runtimes still execute.

use sp_runtime_interface::{pass_by::PassFatPointerAndRead, runtime_interface};

/// Post-quantum signature verification for the registry, run natively by the node.
///
/// Every function returns `true` only for a valid signature; any malformed input (wrong
/// lengths, context longer than 255 bytes, non-canonical encodings) gives `false`, never a
/// panic or a trap.
#[runtime_interface]
pub trait AicfCrypto {
	/// ML-DSA-65 `Verify(pk, M, σ, ctx)` (FIPS 204 Algorithm 3, pure interface).
	fn ml_dsa65_verify(
		public_key: PassFatPointerAndRead<&[u8]>,
		message: PassFatPointerAndRead<&[u8]>,
		ctx: PassFatPointerAndRead<&[u8]>,
		signature: PassFatPointerAndRead<&[u8]>,
	) -> bool {
		native::guarded(|| native::ml_dsa65_verify(public_key, message, ctx, signature))
	}

	/// SLH-DSA-SHA2-128s `slh_verify(M, SIG, ctx, PK)` (FIPS 205 Algorithm 24, pure interface).
	fn slh_dsa_sha2_128s_verify(
		public_key: PassFatPointerAndRead<&[u8]>,
		message: PassFatPointerAndRead<&[u8]>,
		ctx: PassFatPointerAndRead<&[u8]>,
		signature: PassFatPointerAndRead<&[u8]>,
	) -> bool {
		native::guarded(|| native::slh_dsa_sha2_128s_verify(public_key, message, ctx, signature))
	}

	/// ECDSA over P-256 with SHA-256 of `message`. `public_key`: the uncompressed SEC1 point
	/// (65 bytes); `signature`: `r ‖ s`, 32 bytes each.
	fn ecdsa_p256_sha256_verify(
		public_key: PassFatPointerAndRead<&[u8]>,
		message: PassFatPointerAndRead<&[u8]>,
		signature: PassFatPointerAndRead<&[u8]>,
	) -> bool {
		native::guarded(|| native::ecdsa_p256_sha256_verify(public_key, message, signature))
	}

	/// ECDSA over P-384 with SHA-384 of `message`. `public_key`: the uncompressed SEC1 point
	/// (97 bytes); `signature`: `r ‖ s`, 48 bytes each.
	fn ecdsa_p384_sha384_verify(
		public_key: PassFatPointerAndRead<&[u8]>,
		message: PassFatPointerAndRead<&[u8]>,
		signature: PassFatPointerAndRead<&[u8]>,
	) -> bool {
		native::guarded(|| native::ecdsa_p384_sha384_verify(public_key, message, signature))
	}

	/// ECDSA over P-521 with SHA-512 of `message`. `public_key`: the uncompressed SEC1 point
	/// (133 bytes); `signature`: `r ‖ s`, 66 bytes each.
	fn ecdsa_p521_sha512_verify(
		public_key: PassFatPointerAndRead<&[u8]>,
		message: PassFatPointerAndRead<&[u8]>,
		signature: PassFatPointerAndRead<&[u8]>,
	) -> bool {
		native::guarded(|| native::ecdsa_p521_sha512_verify(public_key, message, signature))
	}

	/// RSASSA-PSS with SHA-384, MGF1-SHA-384 and a 48-byte salt (RFC 8017 §8.1.2), the scheme of
	/// AMD's certificate chains. `modulus`: big-endian, 256–1024 bytes, no leading zero byte;
	/// `exponent`: big-endian, 65537 only; `signature`: as long as the modulus.
	fn rsa_pss_sha384_verify(
		modulus: PassFatPointerAndRead<&[u8]>,
		exponent: PassFatPointerAndRead<&[u8]>,
		message: PassFatPointerAndRead<&[u8]>,
		signature: PassFatPointerAndRead<&[u8]>,
	) -> bool {
		native::guarded(|| native::rsa_pss_sha384_verify(modulus, exponent, message, signature))
	}
}

/// A classical signature scheme of the `aicf_crypto` interface.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Classical {
	/// ECDSA P-256 SHA-256.
	EcdsaP256,
	/// ECDSA P-384 SHA-384.
	EcdsaP384,
	/// ECDSA P-521 SHA-512.
	EcdsaP521,
	/// RSASSA-PSS SHA-384, 48-byte salt.
	RsaPssSha384,
}

/// The input rules every implementation of a classical function applies before any arithmetic,
/// so that the host and the portable reference can only differ in the arithmetic itself:
/// ECDSA keys uncompressed SEC1 points of the curve's length, signatures `r ‖ s` of twice the
/// scalar length; RSA moduli 256–1024 bytes without a leading zero byte, the exponent 65537
/// (`key` is the modulus, `extra` the exponent), signatures as long as the modulus.
pub fn classical_inputs_ok(scheme: Classical, key: &[u8], extra: &[u8], signature: &[u8]) -> bool {
	match scheme {
		Classical::EcdsaP256 => key.len() == 65 && key.first() == Some(&4) && signature.len() == 64,
		Classical::EcdsaP384 => key.len() == 97 && key.first() == Some(&4) && signature.len() == 96,
		Classical::EcdsaP521 => {
			key.len() == 133 && key.first() == Some(&4) && signature.len() == 132
		},
		Classical::RsaPssSha384 => {
			(256..=1024).contains(&key.len())
				&& key.first().is_some_and(|b| *b != 0)
				&& extra == [1, 0, 1]
				&& signature.len() == key.len()
		},
	}
}

/// The implementations behind the host functions, fastest native verifier per algorithm (see
/// `docs/PERFORMANCE.md` §1): `libcrux-ml-dsa` for ML-DSA-65 (its AVX2 code on CPUs that have
/// it, chosen at run time, else its portable code; ≈ 3× faster than `fips204` and 5× faster
/// than `ml-dsa` with AVX2), RustCrypto `slh-dsa` for SLH-DSA-SHA2-128s (faster than `fips205`).
/// Both agree with the portable verifiers of [`crate::crypto::portable`] on every NIST ACVP and
/// Wycheproof vector, in each of libcrux's code paths (`tests/nist_vectors.rs`).
pub mod native {
	/// ML-DSA-65 pure verification with `libcrux-ml-dsa`; `false` on any malformed input.
	///
	/// Every node must reach the same verdict, whatever its CPU: libcrux's AVX2 and portable
	/// code implement the same algorithm (its arithmetic, NTT and encodings formally
	/// verified), and the tests run both on every NIST and Wycheproof vector. A wasm build
	/// outside the runtime (where this body is compiled but libcrux is not) uses the portable
	/// verifier.
	pub fn ml_dsa65_verify(
		public_key: &[u8],
		message: &[u8],
		ctx: &[u8],
		signature: &[u8],
	) -> bool {
		#[cfg(not(target_family = "wasm"))]
		{
			use libcrux_ml_dsa::ml_dsa_65::{verify, MLDSA65Signature, MLDSA65VerificationKey};
			let Ok(pk) = <[u8; MLDSA65VerificationKey::len()]>::try_from(public_key) else {
				return false;
			};
			let Ok(sig) = <[u8; MLDSA65Signature::len()]>::try_from(signature) else {
				return false;
			};
			// `verify` rejects contexts longer than 255 bytes and malformed hints itself.
			let (pk, sig) = (MLDSA65VerificationKey::new(pk), MLDSA65Signature::new(sig));
			verify(&pk, message, ctx, &sig).is_ok()
		}
		#[cfg(target_family = "wasm")]
		{
			crate::crypto::portable::ml_dsa65_verify(public_key, message, ctx, signature).is_ok()
		}
	}

	/// SLH-DSA-SHA2-128s pure verification with `slh-dsa`; `false` on any malformed input.
	pub fn slh_dsa_sha2_128s_verify(
		public_key: &[u8],
		message: &[u8],
		ctx: &[u8],
		signature: &[u8],
	) -> bool {
		crate::crypto::portable::slh_dsa128s_verify(public_key, message, ctx, signature).is_ok()
	}

	/// ECDSA P-256 SHA-256 with `ring`; `false` on any malformed input.
	pub fn ecdsa_p256_sha256_verify(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
		use super::{classical_inputs_ok, Classical};
		if !classical_inputs_ok(Classical::EcdsaP256, public_key, &[], signature) {
			return false;
		}
		#[cfg(not(target_family = "wasm"))]
		{
			use ring::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_FIXED};
			UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, public_key)
				.verify(message, signature)
				.is_ok()
		}
		// Outside the runtime, a wasm build has no `ring`: the portable verifier lives in
		// `aicf-attestation-verify`, which calls that directly there.
		#[cfg(target_family = "wasm")]
		{
			let _ = message;
			false
		}
	}

	/// ECDSA P-384 SHA-384 with `ring`; `false` on any malformed input.
	pub fn ecdsa_p384_sha384_verify(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
		use super::{classical_inputs_ok, Classical};
		if !classical_inputs_ok(Classical::EcdsaP384, public_key, &[], signature) {
			return false;
		}
		#[cfg(not(target_family = "wasm"))]
		{
			use ring::signature::{UnparsedPublicKey, ECDSA_P384_SHA384_FIXED};
			UnparsedPublicKey::new(&ECDSA_P384_SHA384_FIXED, public_key)
				.verify(message, signature)
				.is_ok()
		}
		#[cfg(target_family = "wasm")]
		{
			let _ = message;
			false
		}
	}

	/// ECDSA P-521 SHA-512 with RustCrypto `p521` (which the portable reference uses too: `ring`
	/// has no P-521; natively it is what the wasm build of the same code is not, fast);
	/// `false` on any malformed input.
	pub fn ecdsa_p521_sha512_verify(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
		use super::{classical_inputs_ok, Classical};
		if !classical_inputs_ok(Classical::EcdsaP521, public_key, &[], signature) {
			return false;
		}
		#[cfg(not(target_family = "wasm"))]
		{
			use p521::ecdsa::{signature::Verifier as _, Signature, VerifyingKey};
			let (Ok(key), Ok(sig)) =
				(VerifyingKey::from_sec1_bytes(public_key), Signature::from_slice(signature))
			else {
				return false;
			};
			key.verify(message, &sig).is_ok()
		}
		#[cfg(target_family = "wasm")]
		{
			let _ = message;
			false
		}
	}

	/// RSASSA-PSS SHA-384 (48-byte salt) with `ring`; `false` on any malformed input.
	pub fn rsa_pss_sha384_verify(
		modulus: &[u8],
		exponent: &[u8],
		message: &[u8],
		signature: &[u8],
	) -> bool {
		use super::{classical_inputs_ok, Classical};
		if !classical_inputs_ok(Classical::RsaPssSha384, modulus, exponent, signature) {
			return false;
		}
		#[cfg(not(target_family = "wasm"))]
		{
			use ring::signature::{RsaPublicKeyComponents, RSA_PSS_2048_8192_SHA384};
			RsaPublicKeyComponents { n: modulus, e: exponent }
				.verify(&RSA_PSS_2048_8192_SHA384, message, signature)
				.is_ok()
		}
		#[cfg(target_family = "wasm")]
		{
			let _ = message;
			false
		}
	}

	/// Runs `verify`, turning a panic inside a verifier into `false` (with `std`): a panic in a
	/// host function would abort the runtime call that made it, for every node alike.
	#[cfg(feature = "std")]
	pub fn guarded(verify: impl FnOnce() -> bool + std::panic::UnwindSafe) -> bool {
		std::panic::catch_unwind(verify).unwrap_or(false)
	}

	/// Runs `verify` (without `std` there is no unwinding to catch).
	#[cfg(not(feature = "std"))]
	pub fn guarded(verify: impl FnOnce() -> bool) -> bool {
		verify()
	}
}
