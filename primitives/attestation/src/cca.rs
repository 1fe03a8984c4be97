//! Arm CCA attestation tokens.
//!
//! A CCA token (Arm CCA Security Model / RMM specification, IETF draft-ffm-rats-cca-token) is a
//! CBOR tag 399 map holding two bstr-wrapped, tag-18 `COSE_Sign1` tokens:
//!
//! - key 44234, the **platform token**, signed by the CCA Platform Attestation Key (CPAK) with
//!   ES256, ES384 or ES512 (a P-256, P-384 or P-521 key).
//! - key 44241, the **realm token**, signed (ES384) by the Realm Attestation Key (RAK), whose
//!   public key is carried in the realm claims (claim 44237), either as a raw uncompressed
//!   P-384 point (legacy profile) or as a `COSE_Key` (draft-ffm-rats-cca-token-00).
//!
//! The network pins **trust anchors**, as Veraison's verifier does: each names a platform by
//! its instance ID (platform claim 256) and holds that platform's CPAK ([`TrustAnchor`], one
//! DER value). The token's instance ID selects the one key its platform signature is checked
//! with, so a token costs one platform signature check whatever the number of anchors.
//!
//! The platform vouches for the realm through its challenge: platform claim 10 must equal
//! `HASH(RAK claim bytes)`, `HASH` named by realm claim 44240 (`sha-256`, `sha-384` or
//! `sha-512`).
//!
//! [`verify`] checks, in order:
//! 1. size ([`MAX_TOKEN_LEN`]) and the collection structure ([`ParseRegion::Header`]), each
//!    `COSE_Sign1` envelope ([`ParseRegion::Signature`]), claims ([`ParseRegion::Claims`]);
//! 2. the platform token uses ES256, ES384 or ES512, the realm token ES384, and both known
//!    profiles ([`AttestationError::Unsupported`]);
//! 3. a pinned anchor names the platform's instance ID ([`AttestationError::Chain`]: the
//!    platform is not pinned);
//! 4. the platform signature under that anchor's CPAK, whose curve must be the algorithm's
//!    ([`AttestationError::PlatformSignature`]);
//! 5. the realm signature under the RAK ([`AttestationError::RealmSignature`]);
//! 6. the platform challenge equals the RAK hash ([`AttestationError::RealmNotBound`]: the
//!    platform does not vouch for this realm);
//! 7. the realm challenge (64 bytes) binds the provider ([`crate::check_binding`]);
//! 8. the common policy ([`crate::apply_common_policy`]): the realm initial measurement (RIM,
//!    32 or 48 bytes, zero-padded to 48) against the allowlist, and debug.
//!
//! Debug: the platform's security lifecycle (claim 2395, PSA lifecycle encoding, state in bits
//! 8..16) must be *secured* (`0x30nn`). Any other state — unknown, assembly and test, PSA RoT
//! provisioning, non-PSA-RoT debug, recoverable PSA-RoT debug, decommissioned — gives no
//! runtime guarantee for the realm and counts as debug, refused unless
//! [`Policy::allow_debug`].
//!
//! Tokens carry no time and no expiry: [`Verified::issued_at`] is `None` and
//! [`Verified::not_after`] is `now + Policy::max_age_secs` (or `u64::MAX` when the policy sets
//! no maximum age), so a token counts for the policy's maximum age from its verification.
//! CCA has no TCB status of its own: [`TcbStatus::NotApplicable`]. Platform software
//! components and configuration are decoded by nothing here; appraising them is left to the
//! allowlist of realm measurements and the pinned platform keys.

use alloc::vec::Vec;
use ciborium::value::{Integer, Value};
use coset::{iana, CborSerializable as _, CoseKey, CoseSign1, TaggedCborSerializable as _};
use der::{Decode as _, Encode as _};
use p384::ecdsa::{Signature, VerifyingKey};
use sha2::Digest as _;

use crate::{
	apply_common_policy, check_binding, AttestationError, EvidenceKind, ParseRegion, Policy,
	TcbStatus, Verified,
};

/// Largest token accepted, bytes. The fixtures are 1.2–2.1 KiB.
pub const MAX_TOKEN_LEN: usize = 16 * 1024;

/// CBOR tag of a CCA token collection.
pub const TAG_CCA_TOKEN: u64 = 399;
/// Collection key of the platform token.
pub const KEY_PLATFORM_TOKEN: u64 = 44234;
/// Collection key of the realm token.
pub const KEY_REALM_TOKEN: u64 = 44241;

/// Claim keys used here.
pub mod claim {
	/// Challenge / nonce (platform and realm).
	pub const CHALLENGE: i64 = 10;
	/// Profile (EAT `eat_profile`).
	pub const PROFILE: i64 = 265;
	/// Platform instance id (UEID).
	pub const INSTANCE_ID: i64 = 256;
	/// Platform software components.
	pub const SW_COMPONENTS: i64 = 2399;
	/// Measurement value of a software component (key 2 of its map).
	pub const SW_MEASUREMENT_VALUE: i64 = 2;
	/// Platform implementation id.
	pub const IMPLEMENTATION_ID: i64 = 2396;
	/// Platform security lifecycle.
	pub const LIFECYCLE: i64 = 2395;
	/// Realm personalization value.
	pub const PERSONALIZATION: i64 = 44235;
	/// Realm measurement hash algorithm.
	pub const REALM_HASH_ALG: i64 = 44236;
	/// Realm public key (RAK).
	pub const RAK: i64 = 44237;
	/// Realm initial measurement.
	pub const RIM: i64 = 44238;
	/// Realm extensible measurements.
	pub const REM: i64 = 44239;
	/// Hash algorithm of the RAK hash in the platform challenge.
	pub const RAK_HASH_ALG: i64 = 44240;
}

/// Platform profiles accepted.
pub const PLATFORM_PROFILES: [&str; 2] =
	["http://arm.com/CCA-SSD/1.0.0", "tag:arm.com,2023:cca_platform#1.0.0"];
/// Realm profile accepted when the realm token names one.
pub const REALM_PROFILE: &str = "tag:arm.com,2023:realm#1.0.0";

const HEADER: AttestationError = AttestationError::Parse(ParseRegion::Header);
const ENVELOPE: AttestationError = AttestationError::Parse(ParseRegion::Signature);
const CLAIMS: AttestationError = AttestationError::Parse(ParseRegion::Claims);

/// The platform claims this verifier reads.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PlatformClaims {
	/// Profile (claim 265).
	pub profile: alloc::string::String,
	/// Challenge (claim 10): the RAK hash.
	pub challenge: Vec<u8>,
	/// Security lifecycle (claim 2395).
	pub lifecycle: u16,
	/// Implementation id (claim 2396).
	pub implementation_id: Vec<u8>,
	/// Instance id (claim 256).
	pub instance_id: Vec<u8>,
	/// [`platform_software_digest`] of the software components (claim 2399).
	pub software_digest: [u8; 32],
}

impl PlatformClaims {
	/// Decodes a platform claims set (a CBOR map).
	pub fn decode(cbor: &[u8]) -> Result<Self, AttestationError> {
		let c = Claims::decode(cbor)?;
		Ok(Self {
			profile: c.text(claim::PROFILE)?.into(),
			challenge: c.bytes(claim::CHALLENGE)?.into(),
			lifecycle: u16::try_from(c.int(claim::LIFECYCLE)?).map_err(|_| CLAIMS)?,
			implementation_id: c.bytes(claim::IMPLEMENTATION_ID)?.into(),
			instance_id: c.bytes(claim::INSTANCE_ID)?.into(),
			software_digest: platform_software_digest(c.get(claim::SW_COMPONENTS)?)?,
		})
	}

	/// Whether the security lifecycle is *secured* (`0x3000..=0x30FF`).
	pub fn secured(&self) -> bool {
		self.lifecycle & 0xFF00 == 0x3000
	}
}

/// The realm claims this verifier reads.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RealmClaims {
	/// Profile (claim 265), when present.
	pub profile: Option<alloc::string::String>,
	/// Challenge (claim 10), 64 bytes: the report data.
	pub challenge: [u8; 64],
	/// Realm initial measurement (claim 44238).
	pub rim: Vec<u8>,
	/// Realm extensible measurements (claim 44239): four, each as long as the RIM.
	pub rem: Vec<Vec<u8>>,
	/// Realm personalization value (claim 44235), 64 bytes.
	pub personalization: [u8; 64],
	/// Realm public key, as encoded in claim 44237.
	pub rak: Vec<u8>,
	/// Hash algorithm of the platform challenge over `rak` (claim 44240).
	pub rak_hash_alg: alloc::string::String,
}

impl RealmClaims {
	/// Decodes a realm claims set (a CBOR map).
	pub fn decode(cbor: &[u8]) -> Result<Self, AttestationError> {
		let c = Claims::decode(cbor)?;
		let profile = match c.get(claim::PROFILE)? {
			None => None,
			Some(Value::Text(t)) => Some(t.clone()),
			Some(_) => return Err(CLAIMS),
		};
		Ok(Self {
			profile,
			challenge: c.bytes(claim::CHALLENGE)?.try_into().map_err(|_| CLAIMS)?,
			rim: c.bytes(claim::RIM)?.into(),
			personalization: c.bytes(claim::PERSONALIZATION)?.try_into().map_err(|_| CLAIMS)?,
			rem: match c.get(claim::REM)? {
				Some(Value::Array(items)) if items.len() == 4 => items
					.iter()
					.map(|m| match m {
						Value::Bytes(b) => Ok(b.clone()),
						_ => Err(CLAIMS),
					})
					.collect::<Result<_, _>>()?,
				_ => return Err(CLAIMS),
			},
			rak: c.bytes(claim::RAK)?.into(),
			rak_hash_alg: c.text(claim::RAK_HASH_ALG)?.into(),
		})
	}

	/// The RAK as a P-384 verifying key.
	pub fn rak_key(&self) -> Result<VerifyingKey, AttestationError> {
		if self.rak.first() == Some(&0x04) {
			return VerifyingKey::from_sec1_bytes(&self.rak).map_err(|_| CLAIMS);
		}
		let key = CoseKey::from_slice(&self.rak).map_err(|_| CLAIMS)?;
		if key.kty != coset::KeyType::Assigned(iana::KeyType::EC2) {
			return Err(AttestationError::Unsupported);
		}
		let param = |label: i64| {
			key.params.iter().find(|(l, _)| *l == coset::Label::Int(label)).map(|(_, v)| v)
		};
		let crv = param(iana::Ec2KeyParameter::Crv as i64).ok_or(CLAIMS)?;
		if *crv != Value::Integer(Integer::from(iana::EllipticCurve::P_384 as i64)) {
			return Err(AttestationError::Unsupported);
		}
		let coord = |label| match param(label) {
			Some(Value::Bytes(b)) if b.len() == 48 => Ok(b.as_slice()),
			_ => Err(CLAIMS),
		};
		let x = coord(iana::Ec2KeyParameter::X as i64)?;
		let y = coord(iana::Ec2KeyParameter::Y as i64)?;
		let mut point = [0u8; 97];
		let (tag, xy) = point.split_at_mut(1);
		let (px, py) = xy.split_at_mut(48);
		tag.copy_from_slice(&[0x04]);
		px.copy_from_slice(x);
		py.copy_from_slice(y);
		VerifyingKey::from_sec1_bytes(&point).map_err(|_| CLAIMS)
	}

	/// `HASH(rak)` with the algorithm the realm names.
	pub fn rak_hash(&self) -> Result<Vec<u8>, AttestationError> {
		Ok(match self.rak_hash_alg.as_str() {
			"sha-256" => sha2::Sha256::digest(&self.rak).to_vec(),
			"sha-384" => sha2::Sha384::digest(&self.rak).to_vec(),
			"sha-512" => sha2::Sha512::digest(&self.rak).to_vec(),
			_ => return Err(AttestationError::Unsupported),
		})
	}

	/// The RIM zero-padded to 48 bytes; 32- and 48-byte measurements are accepted.
	pub fn measurement(&self) -> Result<[u8; 48], AttestationError> {
		if self.rim.len() != 32 && self.rim.len() != 48 {
			return Err(AttestationError::Unsupported);
		}
		let mut m = [0u8; 48];
		m.get_mut(..self.rim.len()).ok_or(CLAIMS)?.copy_from_slice(&self.rim);
		Ok(m)
	}

	/// The REMs zero-padded to 48 bytes; each must be as long as the RIM.
	pub fn extensible_measurements(&self) -> Result<[[u8; 48]; 4], AttestationError> {
		let mut out = [[0u8; 48]; 4];
		for (slot, rem) in out.iter_mut().zip(&self.rem) {
			if rem.len() != self.rim.len() {
				return Err(CLAIMS);
			}
			slot.get_mut(..rem.len()).ok_or(CLAIMS)?.copy_from_slice(rem);
		}
		Ok(out)
	}
}

fn workload(
	platform: &PlatformClaims,
	realm: &RealmClaims,
) -> Result<crate::Workload, AttestationError> {
	Ok(crate::Workload::Cca(crate::CcaWorkload {
		rim: realm.measurement()?,
		rem: realm.extensible_measurements()?,
		personalization: realm.personalization,
		platform_software: platform.software_digest,
	}))
}

/// The workload a token reports (RIM, REMs, platform software digest), read without
/// verifying any signature: for an operator computing the rule of their own realm image
/// (`aicf attest workload`). Never a substitute for [`verify`].
pub fn workload_of(token: &[u8]) -> Result<crate::Workload, AttestationError> {
	let (platform_bytes, realm_bytes) = split_collection(token)?;
	let platform = sign1(&platform_bytes)?;
	let realm = sign1(&realm_bytes)?;
	let platform_claims = PlatformClaims::decode(platform.payload.as_deref().unwrap_or_default())?;
	let realm_claims = RealmClaims::decode(realm.payload.as_deref().unwrap_or_default())?;
	workload(&platform_claims, &realm_claims)
}

/// SHA-256 over the platform's software components (claim 2399), in token order: for each,
/// its measurement value's length (one byte) then the value. An absent claim hashes nothing.
/// Each component must be a map with one measurement value of 1 to 64 bytes.
pub fn platform_software_digest(components: Option<&Value>) -> Result<[u8; 32], AttestationError> {
	let mut h = sha2::Sha256::new();
	match components {
		None => {},
		Some(Value::Array(items)) => {
			for item in items {
				let Value::Map(fields) = item else { return Err(CLAIMS) };
				let component = Claims(fields.clone());
				let value = component.bytes(claim::SW_MEASUREMENT_VALUE)?;
				let len = u8::try_from(value.len()).map_err(|_| CLAIMS)?;
				if !(1..=64).contains(&len) {
					return Err(CLAIMS);
				}
				h.update([len]);
				h.update(value);
			}
		},
		Some(_) => return Err(CLAIMS),
	}
	Ok(h.finalize().into())
}

/// A claims map with integer keys; duplicates are malformed.
struct Claims(Vec<(Value, Value)>);

impl Claims {
	fn decode(cbor: &[u8]) -> Result<Self, AttestationError> {
		match decode_value(cbor).map_err(|_| CLAIMS)? {
			Value::Map(m) => Ok(Self(m)),
			_ => Err(CLAIMS),
		}
	}

	fn get(&self, key: i64) -> Result<Option<&Value>, AttestationError> {
		let want = Value::Integer(Integer::from(key));
		let mut found = None;
		for (k, v) in &self.0 {
			if *k == want {
				if found.is_some() {
					return Err(CLAIMS);
				}
				found = Some(v);
			}
		}
		Ok(found)
	}

	fn bytes(&self, key: i64) -> Result<&[u8], AttestationError> {
		match self.get(key)? {
			Some(Value::Bytes(b)) => Ok(b),
			_ => Err(CLAIMS),
		}
	}

	fn text(&self, key: i64) -> Result<&str, AttestationError> {
		match self.get(key)? {
			Some(Value::Text(t)) => Ok(t),
			_ => Err(CLAIMS),
		}
	}

	fn int(&self, key: i64) -> Result<i128, AttestationError> {
		match self.get(key)? {
			Some(Value::Integer(i)) => Ok(i128::from(*i)),
			_ => Err(CLAIMS),
		}
	}
}

/// Decodes exactly one CBOR item, refusing trailing bytes.
fn decode_value(cbor: &[u8]) -> Result<Value, ()> {
	let mut rest = cbor;
	let v: Value = ciborium::de::from_reader(&mut rest).map_err(|_| ())?;
	if rest.is_empty() {
		Ok(v)
	} else {
		Err(())
	}
}

/// Splits a token collection into its platform and realm `COSE_Sign1` bytes.
fn split_collection(token: &[u8]) -> Result<(Vec<u8>, Vec<u8>), AttestationError> {
	if token.len() > MAX_TOKEN_LEN {
		return Err(HEADER);
	}
	let Value::Tag(TAG_CCA_TOKEN, inner) = decode_value(token).map_err(|_| HEADER)? else {
		return Err(HEADER);
	};
	let Value::Map(entries) = *inner else { return Err(HEADER) };
	let (mut platform, mut realm) = (None, None);
	for (k, v) in entries {
		let (Value::Integer(k), Value::Bytes(b)) = (k, v) else { return Err(HEADER) };
		let slot = match u64::try_from(k) {
			Ok(KEY_PLATFORM_TOKEN) => &mut platform,
			Ok(KEY_REALM_TOKEN) => &mut realm,
			_ => return Err(HEADER),
		};
		if slot.replace(b).is_some() {
			return Err(HEADER);
		}
	}
	Ok((platform.ok_or(HEADER)?, realm.ok_or(HEADER)?))
}

/// The platform token's signature algorithm.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PlatformAlg {
	/// ECDSA P-256 SHA-256.
	Es256,
	/// ECDSA P-384 SHA-384.
	Es384,
	/// ECDSA P-521 SHA-512.
	Es512,
}

impl PlatformAlg {
	fn of(s: &CoseSign1) -> Result<Self, AttestationError> {
		use coset::RegisteredLabelWithPrivate::Assigned;
		match s.protected.header.alg {
			Some(Assigned(iana::Algorithm::ES256)) => Ok(Self::Es256),
			Some(Assigned(iana::Algorithm::ES384)) => Ok(Self::Es384),
			Some(Assigned(iana::Algorithm::ES512)) => Ok(Self::Es512),
			_ => Err(AttestationError::Unsupported),
		}
	}
}

/// A CCA platform attestation key: P-256, P-384 or P-521.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum PlatformKey {
	/// A P-256 key (ES256 tokens).
	P256(p256::ecdsa::VerifyingKey),
	/// A P-384 key (ES384 tokens).
	P384(VerifyingKey),
	/// A P-521 key (ES512 tokens), as its uncompressed SEC1 point.
	P521(Vec<u8>),
}

impl PlatformKey {
	/// Whether this key made the signature of `s` with algorithm `alg` (a key of another
	/// curve than the algorithm's never did).
	fn signed(&self, s: &CoseSign1, alg: PlatformAlg) -> bool {
		s.verify_signature(b"", |sig, tbs| {
			let ok = match (self, alg) {
				(Self::P256(key), PlatformAlg::Es256) => p256::ecdsa::Signature::from_slice(sig)
					.is_ok_and(|sig| crate::sig::p256_sha256(key, tbs, &sig)),
				(Self::P384(key), PlatformAlg::Es384) => Signature::from_slice(sig)
					.is_ok_and(|sig| crate::sig::p384_sha384(key, tbs, &sig)),
				(Self::P521(point), PlatformAlg::Es512) => crate::sig::p521_sha512(point, tbs, sig),
				_ => false,
			};
			ok.then_some(()).ok_or(())
		})
		.is_ok()
	}
}

/// A pinned CCA trust anchor: a platform's instance ID (platform claim 256) and its CPAK.
///
/// ```text
/// CcaTrustAnchor ::= SEQUENCE {
///     instanceId  OCTET STRING (SIZE (1..64)),   -- the platform's UEID, claim 256
///     cpak        SubjectPublicKeyInfo           -- id-ecPublicKey, P-256 / P-384 / P-521
/// }
/// ```
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TrustAnchor {
	/// The platform's instance ID.
	pub instance_id: Vec<u8>,
	/// Its platform attestation key.
	pub key: PlatformKey,
	/// The key as pinned, DER `SubjectPublicKeyInfo`.
	pub cpak_der: Vec<u8>,
}

/// The instance ID of Arm's TF-A FVP test platform, whose *test* CPAK (from the TF-M tools)
/// signs Arm's and Veraison's sample CCA tokens (Veraison `rust-ccatoken/testdata/ta-tfa.json`).
/// Only development chains pin it.
pub const TFA_FVP_TEST_INSTANCE_ID: [u8; 33] = [
	0x01, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0x00, 0x0f, 0x0e, 0x0d, 0x0c, 0x0b, 0x0a, 0x09,
	0x08, 0x17, 0x16, 0x15, 0x14, 0x13, 0x12, 0x11, 0x10, 0x1f, 0x1e, 0x1d, 0x1c, 0x1b, 0x1a, 0x19,
	0x18,
];

/// Largest instance ID an anchor may name, bytes (a UEID is at most 33).
pub const MAX_INSTANCE_ID_LEN: usize = 64;

impl TrustAnchor {
	/// The instance ID a DER `CcaTrustAnchor` names, without decoding its key (the lookup
	/// decodes one key, whatever the number of anchors).
	pub fn instance_id_of(der: &[u8]) -> Option<Vec<u8>> {
		let a = AnchorDer::from_der(der).ok()?;
		Some(a.instance_id.as_bytes().to_vec())
	}

	/// Decodes a DER `CcaTrustAnchor`; the key must be an uncompressed point.
	pub fn decode(der: &[u8]) -> Result<Self, AttestationError> {
		let bad = AttestationError::Parse(ParseRegion::Certificate);
		let a = AnchorDer::from_der(der).map_err(|_| bad.clone())?;
		let id = a.instance_id.as_bytes();
		if id.is_empty() || id.len() > MAX_INSTANCE_ID_LEN {
			return Err(bad);
		}
		let spki = a.cpak.to_der().map_err(|_| bad.clone())?;
		// Uncompressed points only: decompressing one (a square root, P-521's the costliest)
		// would be work the weight does not charge.
		let point = spki::SubjectPublicKeyInfoRef::from_der(&spki)
			.ok()
			.and_then(|k| k.subject_public_key.as_bytes().map(|b| b.first() == Some(&0x04)));
		if point != Some(true) {
			return Err(bad);
		}
		Ok(Self { instance_id: id.to_vec(), key: platform_key(&spki)?, cpak_der: spki })
	}

	/// The DER `CcaTrustAnchor` for `instance_id` and the CPAK `spki_der` (checked by decoding
	/// it back).
	pub fn encode(instance_id: &[u8], spki_der: &[u8]) -> Result<Vec<u8>, AttestationError> {
		let bad = AttestationError::Parse(ParseRegion::Certificate);
		let a = AnchorDer {
			instance_id: der::asn1::OctetString::new(instance_id).map_err(|_| bad.clone())?,
			cpak: der::Any::from_der(spki_der).map_err(|_| bad.clone())?,
		};
		let der = a.to_der().map_err(|_| bad)?;
		Self::decode(&der)?;
		Ok(der)
	}
}

/// `CcaTrustAnchor` as DER sees it.
#[derive(der::Sequence)]
struct AnchorDer {
	instance_id: der::asn1::OctetString,
	cpak: der::Any,
}

/// Decodes a tagged `COSE_Sign1` with an attached payload.
fn sign1(bytes: &[u8]) -> Result<CoseSign1, AttestationError> {
	let s = CoseSign1::from_tagged_slice(bytes).map_err(|_| ENVELOPE)?;
	if s.payload.is_none() {
		return Err(ENVELOPE);
	}
	Ok(s)
}

/// Whether `key` made the ES384 signature of `s`.
fn signed_by(s: &CoseSign1, key: &VerifyingKey) -> bool {
	PlatformKey::P384(*key).signed(s, PlatformAlg::Es384)
}

/// Decodes a platform attestation key: a DER `SubjectPublicKeyInfo` of a P-256, P-384 or
/// P-521 key.
pub fn platform_key(spki_der: &[u8]) -> Result<PlatformKey, AttestationError> {
	use crate::x509::{ID_EC_PUBLIC_KEY, SECP384R1};
	const PRIME256V1: der::asn1::ObjectIdentifier =
		der::asn1::ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
	const SECP521R1: der::asn1::ObjectIdentifier =
		der::asn1::ObjectIdentifier::new_unwrap("1.3.132.0.35");
	let bad = AttestationError::Parse(ParseRegion::Certificate);
	let spki = spki::SubjectPublicKeyInfoRef::from_der(spki_der).map_err(|_| bad.clone())?;
	let curve = spki.algorithm.parameters_oid().map_err(|_| bad.clone())?;
	if spki.algorithm.oid != ID_EC_PUBLIC_KEY {
		return Err(AttestationError::Unsupported);
	}
	let point = spki.subject_public_key.as_bytes().ok_or(bad.clone())?;
	if curve == SECP384R1 {
		VerifyingKey::from_sec1_bytes(point).map(PlatformKey::P384).map_err(|_| bad)
	} else if curve == PRIME256V1 {
		p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map(PlatformKey::P256).map_err(|_| bad)
	} else if curve == SECP521R1 {
		let key = p521::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| bad)?;
		Ok(PlatformKey::P521(key.to_sec1_point(false).as_bytes().to_vec()))
	} else {
		Err(AttestationError::Unsupported)
	}
}

/// Verifies an Arm CCA token.
///
/// - `token`: the CBOR tag 399 token collection;
/// - `anchors`: the DER [`TrustAnchor`]s the network pins (malformed entries are skipped);
/// - `binding`: the bytes the realm challenge must start with (see [`crate::check_binding`]);
/// - `now`: Unix seconds.
///
/// See the [module documentation](self) for the checks and their errors.
pub fn verify(
	token: &[u8],
	anchors: &[&[u8]],
	policy: &Policy,
	binding: &[u8],
	now: u64,
) -> Result<Verified, AttestationError> {
	let (platform_bytes, realm_bytes) = split_collection(token)?;
	let platform = sign1(&platform_bytes)?;
	let realm = sign1(&realm_bytes)?;
	let alg = PlatformAlg::of(&platform)?;
	if realm.protected.header.alg != Some(coset::Algorithm::Assigned(iana::Algorithm::ES384)) {
		return Err(AttestationError::Unsupported);
	}
	let platform_claims = PlatformClaims::decode(platform.payload.as_deref().unwrap_or_default())?;
	let realm_claims = RealmClaims::decode(realm.payload.as_deref().unwrap_or_default())?;
	if !PLATFORM_PROFILES.contains(&platform_claims.profile.as_str()) {
		return Err(AttestationError::Unsupported);
	}
	if realm_claims.profile.as_ref().is_some_and(|p| p != REALM_PROFILE) {
		return Err(AttestationError::Unsupported);
	}

	// The anchor the token's instance ID names; its key alone is tried.
	let anchor = anchors
		.iter()
		.find(|a| {
			TrustAnchor::instance_id_of(a).is_some_and(|id| id == platform_claims.instance_id)
		})
		.and_then(|a| TrustAnchor::decode(a).ok())
		.ok_or(AttestationError::Chain)?;
	if !anchor.key.signed(&platform, alg) {
		return Err(AttestationError::PlatformSignature);
	}
	let rak = realm_claims.rak_key()?;
	if !signed_by(&realm, &rak) {
		return Err(AttestationError::RealmSignature);
	}
	if realm_claims.rak_hash()? != platform_claims.challenge {
		return Err(AttestationError::RealmNotBound);
	}
	check_binding(&realm_claims.challenge, binding)?;

	let verified = Verified {
		kind: EvidenceKind::Cca,
		measurement: realm_claims.measurement()?,
		workload: workload(&platform_claims, &realm_claims)?,
		report_data: realm_claims.challenge,
		tcb_status: TcbStatus::NotApplicable,
		debug: !platform_claims.secured(),
		issued_at: None,
		not_after: if policy.max_age_secs == 0 {
			u64::MAX
		} else {
			now.saturating_add(policy.max_age_secs)
		},
		trap_families: Vec::new(),
		chain_fingerprints: Vec::new(),
	};
	apply_common_policy(&verified, policy, now)?;
	Ok(verified)
}
