//! The development Arm CCA platform: a well-known platform attestation key (CPAK) and realm
//! attestation key (public knowledge, like `//Alice`), and a builder of CCA token collections
//! they sign. With the CPAK pinned ([`platform_key_der`]), a development chain or a test can
//! exercise every CCA outcome — a debug platform lifecycle, another realm measurement, a
//! challenge bound to another provider — that the vendor test tokens cannot show. **Never pin
//! this key on a network that holds value.**

use alloc::{boxed::Box, vec, vec::Vec};
use ciborium::value::Value;
use coset::{iana, CoseSign1Builder, HeaderBuilder, TaggedCborSerializable as _};
use p384::{
	ecdsa::{signature::Signer as _, Signature, SigningKey},
	pkcs8::EncodePublicKey as _,
};
use sha2::Digest as _;

use super::{err, BuildError};
use crate::cca::claim;

/// The platform key's private scalar (48 bytes, public knowledge).
pub const DEV_CPAK: [u8; 48] = *b"AICF development CCA platform attestation key!!!";
/// The realm key's private scalar (48 bytes, public knowledge).
pub const DEV_RAK: [u8; 48] = *b"AICF development CCA realm attestation key!!!!!!";

/// What the built token claims. [`Default`]: a *secured* platform (lifecycle `0x3000`), realm
/// initial measurement `[0x42; 48]`, RAK hash SHA-384, an all-zero challenge, both tokens
/// ES384, the platform profile of the CCA token specification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSpec {
	/// Platform security lifecycle (claim 2395; a valid one fits 16 bits).
	pub lifecycle: i64,
	/// Realm initial measurement (32 or 48 bytes).
	pub rim: Vec<u8>,
	/// Name of the RAK hash algorithm the realm token declares.
	pub rak_hash_alg: &'static str,
	/// Realm challenge (64 bytes); it must start with the provider's binding.
	pub challenge: Vec<u8>,
	/// Platform nonce; `None`: the hash of the RAK, as a genuine platform signs it.
	pub nonce: Option<Vec<u8>>,
	/// Signature algorithm named in the realm token.
	pub realm_alg: iana::Algorithm,
	/// Platform profile.
	pub platform_profile: &'static str,
}

impl Default for TokenSpec {
	fn default() -> Self {
		Self {
			lifecycle: 0x3000,
			rim: vec![0x42; 48],
			rak_hash_alg: "sha-384",
			challenge: vec![0; 64],
			nonce: None,
			realm_alg: iana::Algorithm::ES384,
			platform_profile: "tag:arm.com,2023:cca_platform#1.0.0",
		}
	}
}

impl TokenSpec {
	/// The default claims with the challenge starting with `binding` (at most 64 bytes).
	pub fn bound_to(binding: &[u8]) -> Self {
		let mut challenge = vec![0u8; 64];
		for (c, b) in challenge.iter_mut().zip(binding) {
			*c = *b;
		}
		Self { challenge, ..Self::default() }
	}
}

fn key(scalar: &[u8; 48]) -> Result<SigningKey, BuildError> {
	SigningKey::from_slice(scalar).map_err(err)
}

/// DER `SubjectPublicKeyInfo` of the development CPAK: what a chain pins as its
/// `ArmCcaPlatform` root.
pub fn platform_key_der() -> Result<Vec<u8>, BuildError> {
	Ok(key(&DEV_CPAK)?.verifying_key().to_public_key_der().map_err(err)?.as_bytes().to_vec())
}

fn int(k: i64) -> Value {
	Value::Integer(k.into())
}

fn sign(claims: &Value, key: &SigningKey, alg: iana::Algorithm) -> Result<Vec<u8>, BuildError> {
	let mut payload = Vec::new();
	ciborium::ser::into_writer(claims, &mut payload).map_err(err)?;
	CoseSign1Builder::new()
		.protected(HeaderBuilder::new().algorithm(alg).build())
		.payload(payload)
		.create_signature(b"", |tbs| {
			let sig: Signature = key.sign(tbs);
			sig.to_bytes().to_vec()
		})
		.build()
		.to_tagged_vec()
		.map_err(err)
}

/// A CCA token collection (CBOR tag 399) with the claims of `spec`: the platform token
/// signed by the development CPAK, the realm token by the development RAK.
pub fn token(spec: &TokenSpec) -> Result<Vec<u8>, BuildError> {
	let rak = key(&DEV_RAK)?;
	let rak_bytes = rak.verifying_key().to_sec1_point(false).as_bytes().to_vec();
	let realm_claims = Value::Map(vec![
		(int(claim::CHALLENGE), Value::Bytes(spec.challenge.clone())),
		(int(claim::PERSONALIZATION), Value::Bytes(vec![0; 64])),
		(int(claim::REALM_HASH_ALG), Value::Text("sha-384".into())),
		(int(claim::RAK), Value::Bytes(rak_bytes.clone())),
		(int(claim::RIM), Value::Bytes(spec.rim.clone())),
		(int(claim::RAK_HASH_ALG), Value::Text(spec.rak_hash_alg.into())),
		(int(claim::PROFILE), Value::Text("tag:arm.com,2023:realm#1.0.0".into())),
	]);
	let nonce = spec.nonce.clone().unwrap_or_else(|| sha2::Sha384::digest(&rak_bytes).to_vec());
	let platform_claims = Value::Map(vec![
		(int(claim::PROFILE), Value::Text(spec.platform_profile.into())),
		(int(claim::CHALLENGE), Value::Bytes(nonce)),
		(int(claim::IMPLEMENTATION_ID), Value::Bytes(vec![0x11; 32])),
		(int(claim::INSTANCE_ID), Value::Bytes(vec![0x01; 33])),
		(int(claim::LIFECYCLE), int(spec.lifecycle)),
	]);
	let platform = sign(&platform_claims, &key(&DEV_CPAK)?, iana::Algorithm::ES384)?;
	let realm = sign(&realm_claims, &rak, spec.realm_alg)?;
	let collection = Value::Tag(
		399,
		Box::new(Value::Map(vec![
			(Value::Integer(crate::cca::KEY_PLATFORM_TOKEN.into()), Value::Bytes(platform)),
			(Value::Integer(crate::cca::KEY_REALM_TOKEN.into()), Value::Bytes(realm)),
		])),
	);
	let mut out = Vec::new();
	ciborium::ser::into_writer(&collection, &mut out).map_err(err)?;
	Ok(out)
}
