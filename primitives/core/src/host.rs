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
