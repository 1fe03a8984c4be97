//! The development Arm CCA platform: a well-known platform attestation key (CPAK) and realm
//! attestation key (public knowledge, like `//Alice`), and a builder of CCA token collections
//! they sign, with a platform key on each curve CCA platforms use (P-256, P-384, P-521; the
//! token's `platform_alg` picks one). With their anchors pinned ([`trust_anchor_der`]), a
//! development chain or a test can
//! exercise every CCA outcome — a debug platform lifecycle, another realm measurement, a
//! challenge bound to another provider — that the vendor test tokens cannot show. **Never pin
//! this key on a network that holds value.**

use alloc::{boxed::Box, vec, vec::Vec};
use ciborium::value::Value;
use coset::{iana, CoseSign1Builder, HeaderBuilder, TaggedCborSerializable as _};
use p384::ecdsa::{signature::Signer as _, Signature, SigningKey};
use sha2::Digest as _;

use super::{err, BuildError};
use crate::cca::{claim, PlatformAlg, TrustAnchor};

/// The platform key's private scalar (48 bytes, public knowledge).
pub const DEV_CPAK: [u8; 48] = *b"AICF development CCA platform attestation key!!!";
/// The P-256 platform key's private scalar (public knowledge).
pub const DEV_CPAK_P256: [u8; 32] = *b"AICF dev CCA platform key, P-256";
/// The P-521 platform key's private scalar (public knowledge; 66 bytes, the top byte 0x01).
pub const DEV_CPAK_P521: [u8; 66] =
	*b"\x01AICF development CCA platform attestation key on the P-521 curve!";
/// The realm key's private scalar (48 bytes, public knowledge).
pub const DEV_RAK: [u8; 48] = *b"AICF development CCA realm attestation key!!!!!!";

/// What the built token claims. [`Default`]: a *secured* platform (lifecycle `0x3000`), realm
/// initial measurement `[0x42; 48]`, REM1 `[0x43; 48]` and the other REMs zero, two platform
/// software components (`[0x51; 32]`, `[0x52; 32]`), RAK hash SHA-384, an all-zero challenge, both tokens
/// ES384, the platform profile of the CCA token specification, the platform's own instance ID.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSpec {
	/// Platform security lifecycle (claim 2395; a valid one fits 16 bits).
	pub lifecycle: i64,
	/// Realm initial measurement (32 or 48 bytes).
	pub rim: Vec<u8>,
	/// Realm extensible measurements (claim 44239; four, as long as the RIM).
	pub rem: Vec<Vec<u8>>,
	/// Realm personalization value (claim 44235; 64 bytes).
	pub personalization: Vec<u8>,
	/// Measurement values of the platform's software components (claim 2399); empty: the
	/// claim is left out.
	pub sw_components: Vec<Vec<u8>>,
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
	/// The platform's signature algorithm, which picks the development platform key.
	pub platform_alg: PlatformAlg,
	/// The instance ID claimed; `None`: that of the platform key ([`instance_id`]).
	pub instance_id: Option<Vec<u8>>,
}

impl Default for TokenSpec {
	fn default() -> Self {
		Self {
			lifecycle: 0x3000,
			rim: vec![0x42; 48],
			rem: vec![vec![0; 48], vec![0x43; 48], vec![0; 48], vec![0; 48]],
			sw_components: vec![vec![0x51; 32], vec![0x52; 32]],
			personalization: vec![0; 64],
			rak_hash_alg: "sha-384",
			challenge: vec![0; 64],
			nonce: None,
			realm_alg: iana::Algorithm::ES384,
			platform_profile: "tag:arm.com,2023:cca_platform#1.0.0",
			platform_alg: PlatformAlg::Es384,
			instance_id: None,
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

/// The instance ID (platform claim 256) of the development platform signing with `alg`: a RAND
/// UEID, `0x01` then 32 bytes of `0x01` (P-384), `0x02` (P-256) or `0x03` (P-521).
pub fn instance_id(alg: PlatformAlg) -> Vec<u8> {
	let fill = match alg {
		PlatformAlg::Es384 => 0x01,
		PlatformAlg::Es256 => 0x02,
		PlatformAlg::Es512 => 0x03,
	};
	let mut id = vec![fill; 33];
	if let Some(first) = id.first_mut() {
		*first = 0x01;
	}
	id
}

/// DER `SubjectPublicKeyInfo` of the development CPAK for `alg`.
pub fn platform_key_der(alg: PlatformAlg) -> Result<Vec<u8>, BuildError> {
	use p384::pkcs8::EncodePublicKey as _;
	let der = match alg {
		PlatformAlg::Es384 => key(&DEV_CPAK)?.verifying_key().to_public_key_der(),
		PlatformAlg::Es256 => p256::ecdsa::SigningKey::from_slice(&DEV_CPAK_P256)
			.map_err(err)?
			.verifying_key()
			.to_public_key_der(),
		PlatformAlg::Es512 => p521::ecdsa::SigningKey::from_slice(&DEV_CPAK_P521)
			.map_err(err)?
			.verifying_key()
			.to_public_key_der(),
	};
	Ok(der.map_err(err)?.as_bytes().to_vec())
}

/// The DER trust anchor ([`crate::cca::TrustAnchor`]) of the development platform signing with
/// `alg`: what a chain pins as an `ArmCcaPlatform` root.
pub fn trust_anchor_der(alg: PlatformAlg) -> Result<Vec<u8>, BuildError> {
	TrustAnchor::encode(&instance_id(alg), &platform_key_der(alg)?)
		.map_err(|e| err(alloc::format!("{e:?}")))
}

/// Signs `tbs` with the development platform key for `alg`: `r ‖ s`.
fn platform_sign(alg: PlatformAlg, tbs: &[u8]) -> Result<Vec<u8>, BuildError> {
	Ok(match alg {
		PlatformAlg::Es384 => {
			let sig: Signature = key(&DEV_CPAK)?.sign(tbs);
			sig.to_bytes().to_vec()
		},
		PlatformAlg::Es256 => {
			let sk = p256::ecdsa::SigningKey::from_slice(&DEV_CPAK_P256).map_err(err)?;
			let sig: p256::ecdsa::Signature = sk.sign(tbs);
			sig.to_bytes().to_vec()
		},
		PlatformAlg::Es512 => {
			let sk = p521::ecdsa::SigningKey::from_slice(&DEV_CPAK_P521).map_err(err)?;
			let sig: p521::ecdsa::Signature = sk.sign(tbs);
			sig.to_bytes().to_vec()
		},
	})
}

fn int(k: i64) -> Value {
	Value::Integer(k.into())
}

fn sign(
	claims: &Value,
	alg: iana::Algorithm,
	signer: impl FnOnce(&[u8]) -> Result<Vec<u8>, BuildError>,
) -> Result<Vec<u8>, BuildError> {
	let mut payload = Vec::new();
	ciborium::ser::into_writer(claims, &mut payload).map_err(err)?;
	let mut failed = None;
	let built = CoseSign1Builder::new()
		.protected(HeaderBuilder::new().algorithm(alg).build())
		.payload(payload)
		.create_signature(b"", |tbs| {
			signer(tbs).unwrap_or_else(|e| {
				failed = Some(e);
				Vec::new()
			})
		})
		.build();
	if let Some(e) = failed {
		return Err(e);
	}
	built.to_tagged_vec().map_err(err)
}

/// A CCA token collection (CBOR tag 399) with the claims of `spec`: the platform token
/// signed by the development CPAK, the realm token by the development RAK.
pub fn token(spec: &TokenSpec) -> Result<Vec<u8>, BuildError> {
	let rak = key(&DEV_RAK)?;
	let rak_bytes = rak.verifying_key().to_sec1_point(false).as_bytes().to_vec();
	let realm_claims = Value::Map(vec![
		(int(claim::CHALLENGE), Value::Bytes(spec.challenge.clone())),
		(int(claim::PERSONALIZATION), Value::Bytes(spec.personalization.clone())),
		(int(claim::REALM_HASH_ALG), Value::Text("sha-384".into())),
		(int(claim::RAK), Value::Bytes(rak_bytes.clone())),
		(int(claim::RIM), Value::Bytes(spec.rim.clone())),
		(int(claim::REM), Value::Array(spec.rem.iter().cloned().map(Value::Bytes).collect())),
		(int(claim::RAK_HASH_ALG), Value::Text(spec.rak_hash_alg.into())),
		(int(claim::PROFILE), Value::Text("tag:arm.com,2023:realm#1.0.0".into())),
	]);
	let nonce = spec.nonce.clone().unwrap_or_else(|| sha2::Sha384::digest(&rak_bytes).to_vec());
	let mut platform_claims = vec![
		(int(claim::PROFILE), Value::Text(spec.platform_profile.into())),
		(int(claim::CHALLENGE), Value::Bytes(nonce)),
		(int(claim::IMPLEMENTATION_ID), Value::Bytes(vec![0x11; 32])),
		(
			int(claim::INSTANCE_ID),
			Value::Bytes(
				spec.instance_id.clone().unwrap_or_else(|| instance_id(spec.platform_alg)),
			),
		),
		(int(claim::LIFECYCLE), int(spec.lifecycle)),
	];
	if !spec.sw_components.is_empty() {
		let components = spec
			.sw_components
			.iter()
			.map(|m| {
				Value::Map(vec![
					(int(1), Value::Text("BL".into())),
					(int(claim::SW_MEASUREMENT_VALUE), Value::Bytes(m.clone())),
					(int(5), Value::Bytes(vec![0x5A; 32])),
				])
			})
			.collect();
		platform_claims.push((int(claim::SW_COMPONENTS), Value::Array(components)));
	}
	let platform_claims = Value::Map(platform_claims);
	let cose_alg = match spec.platform_alg {
		PlatformAlg::Es256 => iana::Algorithm::ES256,
		PlatformAlg::Es384 => iana::Algorithm::ES384,
		PlatformAlg::Es512 => iana::Algorithm::ES512,
	};
	let platform = sign(&platform_claims, cose_alg, |tbs| platform_sign(spec.platform_alg, tbs))?;
	let realm = sign(&realm_claims, spec.realm_alg, |tbs| {
		let sig: Signature = rak.sign(tbs);
		Ok(sig.to_bytes().to_vec())
	})?;
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
