//! Registry key algorithms and post-quantum signature verification.
//!
//! Two algorithms are accepted for a provider's registry key:
//!
//! | `alg_id` | algorithm | public key | signature |
//! |---|---|---|---|
//! | 1 | ML-DSA-65 (FIPS 204) | 1952 bytes | 3309 bytes |
//! | 2 | SLH-DSA-SHA2-128s (FIPS 205) | 32 bytes | 7856 bytes |
//!
//! Signatures use the FIPS *pure* (external) interface with the context string
//! [`SIGNING_CONTEXT`]; the message is always one of the canonical CBOR payloads of
//! [`crate::payload`], which carry their own domain tag.
//!
//! [`verify`], [`ml_dsa65_verify`] and [`slh_dsa128s_verify`] go through the `aicf_crypto`
//! host functions ([`crate::host`]): inside the wasm runtime they call the node, which verifies
//! natively; everywhere else they call the same native implementation directly. The portable
//! pure-Rust verifiers (RustCrypto `ml-dsa` and `slh-dsa`, `no_std` and allocation-free) stay
//! available in [`portable`] for callers that must not depend on a host.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::{traits::ConstU32, BoundedVec};

/// FIPS 204 / FIPS 205 context string bound into every registry signature.
pub const SIGNING_CONTEXT: &[u8] = b"aicf-registry";

/// ML-DSA-65 public key length.
pub const ML_DSA_65_PUBLIC_KEY_LEN: u32 = 1952;
/// ML-DSA-65 signature length.
pub const ML_DSA_65_SIGNATURE_LEN: u32 = 3309;
/// SLH-DSA-SHA2-128s public key length.
pub const SLH_DSA_128S_PUBLIC_KEY_LEN: u32 = 32;
/// SLH-DSA-SHA2-128s signature length.
pub const SLH_DSA_128S_SIGNATURE_LEN: u32 = 7856;

/// Upper bound of any accepted public key (ML-DSA-65).
pub type MaxPublicKeyLen = ConstU32<ML_DSA_65_PUBLIC_KEY_LEN>;
/// Upper bound of any accepted signature (SLH-DSA-SHA2-128s).
pub type MaxSignatureLen = ConstU32<SLH_DSA_128S_SIGNATURE_LEN>;

/// Public key bytes, bounded by the largest accepted algorithm.
pub type PublicKeyBytes = BoundedVec<u8, MaxPublicKeyLen>;
/// Signature bytes, bounded by the largest accepted algorithm.
pub type SignatureBytes = BoundedVec<u8, MaxSignatureLen>;

/// Algorithm of a registry key. The SCALE index and [`KeyAlgorithm::id`] are the spec's `alg_id`.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[cfg_attr(feature = "std", derive(serde::Serialize, serde::Deserialize))]
pub enum KeyAlgorithm {
	/// No algorithm: never a valid key. It exists so that codec index 0 decodes — the value a
	/// client's default encoding of this enum gives (polkadot-js fills the unused index 0) —
	/// and a transaction carrying it is refused with a module error
	/// (`UnsupportedKeyAlgorithm`) instead of failing to decode in the transaction pool.
	#[codec(index = 0)]
	#[cfg_attr(feature = "std", serde(rename = "unspecified"))]
	Unspecified,
	/// ML-DSA-65 (FIPS 204), `alg_id` 1.
	#[codec(index = 1)]
	#[cfg_attr(feature = "std", serde(rename = "ml-dsa-65"))]
	MlDsa65,
	/// SLH-DSA-SHA2-128s (FIPS 205), `alg_id` 2.
	#[codec(index = 2)]
	#[cfg_attr(feature = "std", serde(rename = "slh-dsa-sha2-128s"))]
	SlhDsaSha2_128s,
}

impl KeyAlgorithm {
	/// The numeric `alg_id` (1 or 2).
	pub const fn id(self) -> u8 {
		match self {
			Self::Unspecified => 0,
			Self::MlDsa65 => 1,
			Self::SlhDsaSha2_128s => 2,
		}
	}

	/// The algorithm with numeric id `id`, if any.
	pub const fn from_id(id: u8) -> Option<Self> {
		match id {
			1 => Some(Self::MlDsa65),
			2 => Some(Self::SlhDsaSha2_128s),
			_ => None,
		}
	}

	/// Exact public key length for this algorithm.
	pub const fn public_key_len(self) -> usize {
		match self {
			Self::Unspecified => 0,
			Self::MlDsa65 => ML_DSA_65_PUBLIC_KEY_LEN as usize,
			Self::SlhDsaSha2_128s => SLH_DSA_128S_PUBLIC_KEY_LEN as usize,
		}
	}

	/// Exact signature length for this algorithm.
	pub const fn signature_len(self) -> usize {
		match self {
			Self::Unspecified => 0,
			Self::MlDsa65 => ML_DSA_65_SIGNATURE_LEN as usize,
			Self::SlhDsaSha2_128s => SLH_DSA_128S_SIGNATURE_LEN as usize,
		}
	}

	/// Human-readable name as used by the CLI and in PEM files.
	pub const fn name(self) -> &'static str {
		match self {
			Self::Unspecified => "unspecified",
			Self::MlDsa65 => "ml-dsa-65",
			Self::SlhDsaSha2_128s => "slh-dsa-sha2-128s",
		}
	}
}

/// A registry public key: algorithm and encoded key.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct RegistryPublicKey {
	/// The key's algorithm.
	pub alg: KeyAlgorithm,
	/// The FIPS encoding of the key (`pk` of FIPS 204 / FIPS 205).
	pub bytes: PublicKeyBytes,
}

impl RegistryPublicKey {
	/// The provider id this key derives: the first 12 bytes of [`Self::key_hash`].
	pub fn provider_id(&self) -> crate::ProviderId {
		crate::ProviderId::from_key_hash(&self.key_hash())
	}

	/// `SHA3-256(pubkey || alg_id)`: the registry's key index entry of this key.
	pub fn key_hash(&self) -> crate::id::KeyHash {
		crate::id::key_hash(self.alg, &self.bytes)
	}

	/// Check the length matches the algorithm.
	pub fn check_well_formed(&self) -> Result<(), VerifyError> {
		if self.alg == KeyAlgorithm::Unspecified {
			Err(VerifyError::UnsupportedAlgorithm)
		} else if self.bytes.len() == self.alg.public_key_len() {
			Ok(())
		} else {
			Err(VerifyError::PublicKeyLength)
		}
	}

	/// Verify `signature` over `message` (see [`verify`]).
	pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), VerifyError> {
		verify(self.alg, &self.bytes, message, signature)
	}
}

/// Why a signature did not verify.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum VerifyError {
	/// The public key has the wrong length for its algorithm.
	PublicKeyLength,
	/// The signature has the wrong length for its algorithm.
	SignatureLength,
	/// The signature is malformed or does not verify.
	BadSignature,
	/// [`KeyAlgorithm::Unspecified`]: no key of it exists.
	UnsupportedAlgorithm,
}

/// Verify a registry signature: FIPS pure interface, context [`SIGNING_CONTEXT`].
pub fn verify(
	alg: KeyAlgorithm,
	public_key: &[u8],
	message: &[u8],
	signature: &[u8],
) -> Result<(), VerifyError> {
	if alg == KeyAlgorithm::Unspecified {
		return Err(VerifyError::UnsupportedAlgorithm);
	}
	if public_key.len() != alg.public_key_len() {
		return Err(VerifyError::PublicKeyLength);
	}
	if signature.len() != alg.signature_len() {
		return Err(VerifyError::SignatureLength);
	}
	match alg {
		KeyAlgorithm::Unspecified => Err(VerifyError::UnsupportedAlgorithm),
		KeyAlgorithm::MlDsa65 => ml_dsa65_verify(public_key, message, SIGNING_CONTEXT, signature),
		KeyAlgorithm::SlhDsaSha2_128s => {
			slh_dsa128s_verify(public_key, message, SIGNING_CONTEXT, signature)
		},
	}
}

/// ML-DSA-65 `Verify(pk, M, σ, ctx)` (FIPS 204 Algorithm 3), natively through the
/// `aicf_crypto::ml_dsa65_verify` host function.
pub fn ml_dsa65_verify(
	public_key: &[u8],
	message: &[u8],
	ctx: &[u8],
	signature: &[u8],
) -> Result<(), VerifyError> {
	if public_key.len() != KeyAlgorithm::MlDsa65.public_key_len() {
		return Err(VerifyError::PublicKeyLength);
	}
	if signature.len() != KeyAlgorithm::MlDsa65.signature_len() {
		return Err(VerifyError::BadSignature);
	}
	if crate::host::aicf_crypto::ml_dsa65_verify(public_key, message, ctx, signature) {
		Ok(())
	} else {
		Err(VerifyError::BadSignature)
	}
}

/// SLH-DSA-SHA2-128s `slh_verify(M, SIG, ctx, PK)` (FIPS 205 Algorithm 24), natively through
/// the `aicf_crypto::slh_dsa_sha2_128s_verify` host function.
pub fn slh_dsa128s_verify(
	public_key: &[u8],
	message: &[u8],
	ctx: &[u8],
	signature: &[u8],
) -> Result<(), VerifyError> {
	if public_key.len() != KeyAlgorithm::SlhDsaSha2_128s.public_key_len() {
		return Err(VerifyError::PublicKeyLength);
	}
	if signature.len() != KeyAlgorithm::SlhDsaSha2_128s.signature_len() {
		return Err(VerifyError::BadSignature);
	}
	if crate::host::aicf_crypto::slh_dsa_sha2_128s_verify(public_key, message, ctx, signature) {
		Ok(())
	} else {
		Err(VerifyError::BadSignature)
	}
}

/// Portable verifiers: RustCrypto `ml-dsa` and `slh-dsa`, pure Rust, `no_std`, no host
/// function. Same results as the host path on every input (see `tests/nist_vectors.rs`), at
/// ≈ 3× the cost inside wasm.
pub mod portable {
	use super::VerifyError;

	/// ML-DSA-65 `Verify(pk, M, σ, ctx)` (FIPS 204 Algorithm 3) with `ml-dsa`.
	pub fn ml_dsa65_verify(
		public_key: &[u8],
		message: &[u8],
		ctx: &[u8],
		signature: &[u8],
	) -> Result<(), VerifyError> {
		use ml_dsa::{EncodedVerifyingKey, MlDsa65, Signature, VerifyingKey};
		let encoded = EncodedVerifyingKey::<MlDsa65>::try_from(public_key)
			.map_err(|_| VerifyError::PublicKeyLength)?;
		let vk = VerifyingKey::<MlDsa65>::decode(&encoded);
		let sig =
			Signature::<MlDsa65>::try_from(signature).map_err(|_| VerifyError::BadSignature)?;
		if vk.verify_with_context(message, ctx, &sig) {
			Ok(())
		} else {
			Err(VerifyError::BadSignature)
		}
	}

	/// SLH-DSA-SHA2-128s `slh_verify(M, SIG, ctx, PK)` (FIPS 205 Algorithm 24) with `slh-dsa`.
	pub fn slh_dsa128s_verify(
		public_key: &[u8],
		message: &[u8],
		ctx: &[u8],
		signature: &[u8],
	) -> Result<(), VerifyError> {
		use slh_dsa::{Sha2_128s, Signature, VerifyingKey};
		let vk = VerifyingKey::<Sha2_128s>::try_from(public_key)
			.map_err(|_| VerifyError::PublicKeyLength)?;
		let sig =
			Signature::<Sha2_128s>::try_from(signature).map_err(|_| VerifyError::BadSignature)?;
		vk.try_verify_with_context(message, ctx, &sig).map_err(|_| VerifyError::BadSignature)
	}
}

/// Deterministic key pairs and signing without `std`, for runtime benchmarks (which run in
/// wasm and must produce valid signatures). Never used by the runtime itself.
#[cfg(any(feature = "std", feature = "runtime-benchmarks"))]
pub mod bench {
	use super::*;
	use ml_dsa::signature::Keypair as _;

	/// ML-DSA-65 public key of seed ξ.
	pub fn ml_dsa65_public(seed: [u8; 32]) -> RegistryPublicKey {
		let sk = ml_dsa::SigningKey::<ml_dsa::MlDsa65>::from_seed(&seed.into());
		let enc = sk.verifying_key().encode();
		RegistryPublicKey {
			alg: KeyAlgorithm::MlDsa65,
			bytes: BoundedVec::truncate_from(enc.as_slice().into()),
		}
	}

	/// ML-DSA-65 signature of `msg` with seed ξ (deterministic, [`SIGNING_CONTEXT`]).
	pub fn ml_dsa65_sign(seed: [u8; 32], msg: &[u8]) -> SignatureBytes {
		let sk = ml_dsa::SigningKey::<ml_dsa::MlDsa65>::from_seed(&seed.into());
		match sk.expanded_key().sign_deterministic(msg, SIGNING_CONTEXT) {
			Ok(sig) => BoundedVec::truncate_from(sig.encode().as_slice().into()),
			Err(_) => BoundedVec::new(),
		}
	}

	/// SLH-DSA-SHA2-128s public key of seed `n` (all three seeds `[n; 16]`).
	pub fn slh_dsa128s_public(n: u8) -> RegistryPublicKey {
		let sk = slh_dsa::SigningKey::<slh_dsa::Sha2_128s>::slh_keygen_internal(
			&[n; 16], &[n; 16], &[n; 16],
		);
		RegistryPublicKey {
			alg: KeyAlgorithm::SlhDsaSha2_128s,
			bytes: BoundedVec::truncate_from(sk.verifying_key().to_bytes().as_slice().into()),
		}
	}

	/// SLH-DSA-SHA2-128s signature of `msg` with seed `n` (deterministic variant).
	pub fn slh_dsa128s_sign(n: u8, msg: &[u8]) -> SignatureBytes {
		let sk = slh_dsa::SigningKey::<slh_dsa::Sha2_128s>::slh_keygen_internal(
			&[n; 16], &[n; 16], &[n; 16],
		);
		match sk.try_sign_with_context(msg, SIGNING_CONTEXT, None) {
			Ok(sig) => BoundedVec::truncate_from(sig.to_bytes().as_slice().into()),
			Err(_) => BoundedVec::new(),
		}
	}
}
