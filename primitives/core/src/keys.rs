//! Key generation, signing and PEM files (std only; the runtime only verifies).
//!
//! Private keys are PKCS#8 and public keys SPKI, with the NIST OIDs
//! (ML-DSA-65 `2.16.840.1.101.3.4.3.18`, SLH-DSA-SHA2-128s `2.16.840.1.101.3.4.3.20`) in the
//! forms OpenSSL 3.5 writes: an ML-DSA private key is read with its 32-byte seed alone (`[0]
//! IMPLICIT OCTET STRING`, what this tool writes) or with the seed and the expanded key
//! (`SEQUENCE`, OpenSSL's default), an SLH-DSA private key holds its raw `SK.seed || SK.prf ||
//! PK.seed || PK.root`. An ML-DSA key with the expanded key alone is refused: it has no seed.

use crate::crypto::{KeyAlgorithm, RegistryPublicKey, SignatureBytes, SIGNING_CONTEXT};
use ml_dsa::signature::Keypair as _;
use ml_dsa::MlDsa65;
use pkcs8::{
	spki::{DecodePublicKey, EncodePublicKey},
	DecodePrivateKey, EncodePrivateKey, LineEnding,
};
use slh_dsa::Sha2_128s;
use std::{fmt, string::String};

/// Why a key operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
	/// The operating system's random source failed.
	Randomness,
	/// The PEM/DER data is not a PKCS#8 or SPKI document of a supported algorithm.
	UnsupportedOrMalformed(String),
	/// Encoding a key failed.
	Encoding(String),
	/// Signing failed.
	Signing,
}

impl fmt::Display for KeyError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::Randomness => f.write_str("the system random source failed"),
			Self::UnsupportedOrMalformed(why) => write!(
				f,
				"not an ML-DSA-65 or SLH-DSA-SHA2-128s key in PKCS#8/SPKI PEM form ({why})"
			),
			Self::Encoding(why) => write!(f, "could not encode the key: {why}"),
			Self::Signing => f.write_str("signing failed"),
		}
	}
}

impl std::error::Error for KeyError {}

enum Inner {
	MlDsa65(Box<ml_dsa::SigningKey<MlDsa65>>),
	SlhDsa128s(Box<slh_dsa::SigningKey<Sha2_128s>>),
}

/// A registry key pair held by a provider (never by the chain).
pub struct RegistryKeypair {
	inner: Inner,
}

impl fmt::Debug for RegistryKeypair {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		// Never print secret material.
		f.debug_struct("RegistryKeypair")
			.field("alg", &self.algorithm())
			.field("provider_id", &self.public().provider_id())
			.finish_non_exhaustive()
	}
}

/// 32 bytes from the operating system's random source (a liveness-chain secret).
pub fn random_secret() -> Result<[u8; 32], KeyError> {
	random()
}

fn random<const N: usize>() -> Result<[u8; N], KeyError> {
	let mut buf = [0u8; N];
	getrandom::fill(&mut buf).map_err(|_| KeyError::Randomness)?;
	Ok(buf)
}

impl RegistryKeypair {
	/// Generate a fresh key pair from the operating system's random source.
	pub fn generate(alg: KeyAlgorithm) -> Result<Self, KeyError> {
		match alg {
			KeyAlgorithm::Unspecified => {
				Err(KeyError::UnsupportedOrMalformed("no key algorithm given".into()))
			},
			KeyAlgorithm::MlDsa65 => Ok(Self::from_ml_dsa_seed(&random::<32>()?)),
			KeyAlgorithm::SlhDsaSha2_128s => {
				let (sk_seed, sk_prf, pk_seed) =
					(random::<16>()?, random::<16>()?, random::<16>()?);
				Ok(Self::from_slh_dsa_seeds(&sk_seed, &sk_prf, &pk_seed))
			},
		}
	}

	/// ML-DSA-65 key pair from its 32-byte seed ξ (`ML-DSA.KeyGen_internal`).
	pub fn from_ml_dsa_seed(seed: &[u8; 32]) -> Self {
		let seed = ml_dsa::Seed::from(*seed);
		Self { inner: Inner::MlDsa65(Box::new(ml_dsa::SigningKey::<MlDsa65>::from_seed(&seed))) }
	}

	/// SLH-DSA-SHA2-128s key pair from its three 16-byte seeds (`slh_keygen_internal`).
	pub fn from_slh_dsa_seeds(sk_seed: &[u8; 16], sk_prf: &[u8; 16], pk_seed: &[u8; 16]) -> Self {
		let sk = slh_dsa::SigningKey::<Sha2_128s>::slh_keygen_internal(sk_seed, sk_prf, pk_seed);
		Self { inner: Inner::SlhDsa128s(Box::new(sk)) }
	}

	/// The key's algorithm.
	pub fn algorithm(&self) -> KeyAlgorithm {
		match self.inner {
			Inner::MlDsa65(_) => KeyAlgorithm::MlDsa65,
			Inner::SlhDsa128s(_) => KeyAlgorithm::SlhDsaSha2_128s,
		}
	}

	/// The public half.
	pub fn public(&self) -> RegistryPublicKey {
		let bytes: Vec<u8> = match &self.inner {
			Inner::MlDsa65(sk) => sk.verifying_key().encode().to_vec(),
			Inner::SlhDsa128s(sk) => sk.verifying_key().to_vec(),
		};
		RegistryPublicKey {
			alg: self.algorithm(),
			// Both encodings are within `MaxPublicKeyLen` by construction.
			bytes: bytes.try_into().unwrap_or_default(),
		}
	}

	/// Sign `message` (a canonical CBOR payload) with context [`SIGNING_CONTEXT`].
	///
	/// ML-DSA signs deterministically (FIPS 204 allows it; no randomness is needed);
	/// SLH-DSA uses fresh randomness (hedged).
	pub fn sign(&self, message: &[u8]) -> Result<SignatureBytes, KeyError> {
		let sig: Vec<u8> = match &self.inner {
			Inner::MlDsa65(sk) => sk
				.expanded_key()
				.sign_deterministic(message, SIGNING_CONTEXT)
				.map_err(|_| KeyError::Signing)?
				.encode()
				.to_vec(),
			Inner::SlhDsa128s(sk) => {
				let opt_rand = random::<16>()?;
				sk.try_sign_with_context(message, SIGNING_CONTEXT, Some(&opt_rand))
					.map_err(|_| KeyError::Signing)?
					.to_vec()
			},
		};
		sig.try_into().map_err(|_| KeyError::Signing)
	}

	/// PKCS#8 PEM of the private key (`-----BEGIN PRIVATE KEY-----`).
	pub fn to_pkcs8_pem(&self) -> Result<zeroize::Zeroizing<String>, KeyError> {
		let r = match &self.inner {
			Inner::MlDsa65(sk) => sk.to_pkcs8_pem(LineEnding::LF),
			Inner::SlhDsa128s(sk) => sk.to_pkcs8_pem(LineEnding::LF),
		};
		r.map_err(|e| KeyError::Encoding(e.to_string()))
	}

	/// Read a PKCS#8 PEM private key of either algorithm.
	pub fn from_pkcs8_pem(pem: &str) -> Result<Self, KeyError> {
		if let Some(both) = ml_dsa_65_seed_and_expanded(pem) {
			return both.map(|sk| Self { inner: Inner::MlDsa65(Box::new(sk)) });
		}
		match ml_dsa::SigningKey::<MlDsa65>::from_pkcs8_pem(pem) {
			Ok(sk) => Ok(Self { inner: Inner::MlDsa65(Box::new(sk)) }),
			Err(ml_err) => match slh_dsa::SigningKey::<Sha2_128s>::from_pkcs8_pem(pem) {
				Ok(sk) => Ok(Self { inner: Inner::SlhDsa128s(Box::new(sk)) }),
				Err(slh_err) => Err(KeyError::UnsupportedOrMalformed(format!(
					"as ML-DSA-65: {ml_err}; as SLH-DSA-SHA2-128s: {slh_err}"
				))),
			},
		}
	}
}

/// The ML-DSA-65 OID, `2.16.840.1.101.3.4.3.18`.
const ID_ML_DSA_65: pkcs8::ObjectIdentifier =
	pkcs8::ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.3.18");

/// An ML-DSA-65 private key in the `both` form of `ML-DSA-PrivateKey ::= CHOICE { seed [0]
/// OCTET STRING (SIZE (32)), expandedKey OCTET STRING, both SEQUENCE { seed OCTET STRING,
/// expandedKey OCTET STRING } }` (RFC 9881) — what OpenSSL 3.5 writes by default
/// (`ml-dsa.output_formats` `seed-priv`). `None` when `pem` is not a PKCS#8 ML-DSA-65 key in
/// that form. The seed is the key; the expanded key must be the one it gives, else the file is
/// refused (edited, or made inconsistently).
fn ml_dsa_65_seed_and_expanded(pem: &str) -> Option<Result<ml_dsa::SigningKey<MlDsa65>, KeyError>> {
	use pkcs8::der::{asn1::OctetStringRef, Decode as _, Reader as _, SliceReader};
	let (label, doc) = pkcs8::SecretDocument::from_pem(pem).ok()?;
	if label != "PRIVATE KEY" {
		return None;
	}
	let info = pkcs8::PrivateKeyInfoRef::from_der(doc.as_bytes()).ok()?;
	if info.algorithm.oid != ID_ML_DSA_65 {
		return None;
	}
	let inner = info.private_key.as_bytes();
	// The `seed` and `expandedKey` forms are not a SEQUENCE.
	if inner.first() != Some(&0x30) {
		return None;
	}
	let bad = |why: &str| {
		Some(Err(KeyError::UnsupportedOrMalformed(format!(
			"ML-DSA-65 private key (seed and expanded key): {why}"
		))))
	};
	let parsed = SliceReader::new(inner).and_then(|mut r| {
		let both = r.sequence(|r| {
			let seed = <&OctetStringRef>::decode(r)?.as_bytes().to_vec();
			let expanded = <&OctetStringRef>::decode(r)?.as_bytes().to_vec();
			Ok::<_, pkcs8::der::Error>((seed, expanded))
		})?;
		r.finish()?;
		Ok(both)
	});
	let Ok((seed, expanded)) = parsed else { return bad("not a SEQUENCE of two OCTET STRINGs") };
	let Ok(seed) = <[u8; 32]>::try_from(seed.as_slice()) else {
		return bad("the seed is not 32 bytes");
	};
	let sk = ml_dsa::SigningKey::<MlDsa65>::from_seed(&seed.into());
	#[allow(deprecated)] // the expanded encoding is what the file carries; only compared here
	let derived = sk.expanded_key().to_expanded();
	if derived.as_slice() != expanded.as_slice() {
		return bad("the expanded key is not the one the seed gives");
	}
	Some(Ok(sk))
}

/// SPKI PEM of a public key (`-----BEGIN PUBLIC KEY-----`).
pub fn public_key_to_spki_pem(key: &RegistryPublicKey) -> Result<String, KeyError> {
	let bad = |e: &dyn fmt::Display| KeyError::Encoding(e.to_string());
	match key.alg {
		KeyAlgorithm::Unspecified => Err(KeyError::Encoding("no key algorithm".into())),
		KeyAlgorithm::MlDsa65 => {
			let enc = ml_dsa::EncodedVerifyingKey::<MlDsa65>::try_from(&key.bytes[..])
				.map_err(|_| KeyError::Encoding("wrong ML-DSA-65 key length".into()))?;
			ml_dsa::VerifyingKey::<MlDsa65>::decode(&enc)
				.to_public_key_pem(LineEnding::LF)
				.map_err(|e| bad(&e))
		},
		KeyAlgorithm::SlhDsaSha2_128s => {
			slh_dsa::VerifyingKey::<Sha2_128s>::try_from(&key.bytes[..])
				.map_err(|e| bad(&e))?
				.to_public_key_pem(LineEnding::LF)
				.map_err(|e| bad(&e))
		},
	}
}

/// Read an SPKI PEM public key of either algorithm.
pub fn public_key_from_spki_pem(pem: &str) -> Result<RegistryPublicKey, KeyError> {
	let (alg, bytes) = match ml_dsa::VerifyingKey::<MlDsa65>::from_public_key_pem(pem) {
		Ok(vk) => (KeyAlgorithm::MlDsa65, vk.encode().to_vec()),
		Err(ml_err) => match slh_dsa::VerifyingKey::<Sha2_128s>::from_public_key_pem(pem) {
			Ok(vk) => (KeyAlgorithm::SlhDsaSha2_128s, vk.to_vec()),
			Err(slh_err) => {
				return Err(KeyError::UnsupportedOrMalformed(format!(
					"as ML-DSA-65: {ml_err}; as SLH-DSA-SHA2-128s: {slh_err}"
				)))
			},
		},
	};
	let bytes = bytes
		.try_into()
		.map_err(|_| KeyError::UnsupportedOrMalformed("public key too long".into()))?;
	Ok(RegistryPublicKey { alg, bytes })
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::crypto::VerifyError;

	#[test]
	fn keypair_signs_and_verifies_for_both_algorithms() {
		for alg in [KeyAlgorithm::MlDsa65, KeyAlgorithm::SlhDsaSha2_128s] {
			let kp = RegistryKeypair::generate(alg).unwrap();
			let pk = kp.public();
			assert_eq!(pk.bytes.len(), alg.public_key_len());
			let sig = kp.sign(b"payload").unwrap();
			assert_eq!(sig.len(), alg.signature_len());
			assert_eq!(pk.verify(b"payload", &sig), Ok(()));
			assert_eq!(pk.verify(b"payloaD", &sig), Err(VerifyError::BadSignature));
			let mut flipped = sig.to_vec();
			flipped[10] ^= 1;
			assert_eq!(pk.verify(b"payload", &flipped), Err(VerifyError::BadSignature));
			assert_eq!(pk.verify(b"payload", &sig[1..]), Err(VerifyError::SignatureLength));
		}
	}

	#[test]
	fn pem_round_trips_keep_the_provider_id() {
		for alg in [KeyAlgorithm::MlDsa65, KeyAlgorithm::SlhDsaSha2_128s] {
			let kp = RegistryKeypair::generate(alg).unwrap();
			let pem = kp.to_pkcs8_pem().unwrap();
			assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
			let back = RegistryKeypair::from_pkcs8_pem(&pem).unwrap();
			assert_eq!(back.public(), kp.public());
			let spki = public_key_to_spki_pem(&kp.public()).unwrap();
			assert!(spki.starts_with("-----BEGIN PUBLIC KEY-----"));
			let pk = public_key_from_spki_pem(&spki).unwrap();
			assert_eq!(pk.provider_id(), kp.public().provider_id());
		}
	}

	#[test]
	fn ml_dsa_pkcs8_holds_the_seed_under_the_nist_oid() {
		let kp = RegistryKeypair::from_ml_dsa_seed(&[7u8; 32]);
		let pem = kp.to_pkcs8_pem().unwrap();
		let (label, doc) = pkcs8::SecretDocument::from_pem(&pem).unwrap();
		assert_eq!(label, "PRIVATE KEY");
		let der = doc.as_bytes();
		// OID 2.16.840.1.101.3.4.3.18 = 06 09 60 86 48 01 65 03 04 03 12
		let oid = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x12];
		assert!(der.windows(oid.len()).any(|w| w == oid));
		// seed form: [0] IMPLICIT OCTET STRING of 32 bytes = 80 20 <seed>
		let mut seed_form = vec![0x80, 0x20];
		seed_form.extend_from_slice(&[7u8; 32]);
		assert!(der.windows(seed_form.len()).any(|w| w == seed_form.as_slice()));
	}

	/// DER TLV with a definite length.
	fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
		let mut out = vec![tag];
		match content.len() {
			n if n < 0x80 => out.push(n as u8),
			n if n < 0x100 => out.extend_from_slice(&[0x81, n as u8]),
			n => out.extend_from_slice(&[0x82, (n >> 8) as u8, n as u8]),
		}
		out.extend_from_slice(content);
		out
	}

	/// A PKCS#8 PEM of an ML-DSA-65 key in the `both` form OpenSSL 3.5 writes by default.
	fn both_form_pem(seed: &[u8], expanded: &[u8]) -> String {
		let oid = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x12];
		let both = tlv(0x30, &[tlv(0x04, seed), tlv(0x04, expanded)].concat());
		let info = tlv(0x30, &[vec![0x02, 0x01, 0x00], tlv(0x30, &oid), tlv(0x04, &both)].concat());
		pkcs8::der::pem::encode_string("PRIVATE KEY", LineEnding::LF, &info).unwrap()
	}

	#[test]
	fn ml_dsa_keys_in_openssl_35s_seed_and_expanded_form_are_read_and_checked() {
		let seed = [9u8; 32];
		let sk = ml_dsa::SigningKey::<MlDsa65>::from_seed(&seed.into());
		#[allow(deprecated)]
		let expanded = sk.expanded_key().to_expanded().to_vec();
		assert_eq!(expanded.len(), 4032);
		let kp = RegistryKeypair::from_pkcs8_pem(&both_form_pem(&seed, &expanded)).unwrap();
		assert_eq!(kp.public(), RegistryKeypair::from_ml_dsa_seed(&seed).public());
		// An expanded key that is not the seed's (edited, or inconsistent) is refused by name.
		let mut other = expanded.clone();
		other[100] ^= 1;
		let err = RegistryKeypair::from_pkcs8_pem(&both_form_pem(&seed, &other)).unwrap_err();
		assert!(
			matches!(&err, KeyError::UnsupportedOrMalformed(m) if m.contains("expanded key")),
			"{err}"
		);
		let err =
			RegistryKeypair::from_pkcs8_pem(&both_form_pem(&seed[..31], &expanded)).unwrap_err();
		assert!(
			matches!(&err, KeyError::UnsupportedOrMalformed(m) if m.contains("32 bytes")),
			"{err}"
		);
		// The seed-only form this tool writes still reads.
		let seed_only = RegistryKeypair::from_ml_dsa_seed(&seed).to_pkcs8_pem().unwrap();
		assert_eq!(RegistryKeypair::from_pkcs8_pem(&seed_only).unwrap().public(), kp.public());
	}

	#[test]
	fn pem_of_another_algorithm_is_rejected() {
		// An Ed25519 PKCS#8 key (RFC 8410 example).
		let pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";
		assert!(matches!(
			RegistryKeypair::from_pkcs8_pem(pem),
			Err(KeyError::UnsupportedOrMalformed(_))
		));
		assert!(matches!(
			public_key_from_spki_pem("garbage"),
			Err(KeyError::UnsupportedOrMalformed(_))
		));
	}
}
