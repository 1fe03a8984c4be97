//! The verifiers' signature checks.
//!
//! Every signature of a vendor chain or token is checked here, through the `aicf_crypto` host
//! functions ([`aicf_primitives::host`]): in the runtime the node runs them natively (`ring`),
//! ten times faster than the same curves in wasm. [`portable`] is the reference they are held
//! to: RustCrypto code that runs anywhere. With [`set_differential`] on (the tests and fuzz
//! targets turn it on; nothing else does), every check also runs the reference and panics if
//! the verdicts differ, so every fixture test and every fuzz input of every verifier is a
//! differential test of the host functions.

use aicf_primitives::host::aicf_crypto;
#[cfg(feature = "std")]
use alloc::vec::Vec;

#[cfg(feature = "std")]
static DIFFERENTIAL: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
#[cfg(feature = "std")]
static CHECKS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Turns the differential check on or off for the whole process (tests and fuzzing only: a
/// disagreement panics).
#[cfg(feature = "std")]
pub fn set_differential(on: bool) {
	DIFFERENTIAL.store(on, std::sync::atomic::Ordering::SeqCst);
}

/// How many checks have been compared with the reference since the process started.
#[cfg(feature = "std")]
pub fn differential_checks() -> u64 {
	CHECKS.load(std::sync::atomic::Ordering::SeqCst)
}

/// `host`, after comparing it with `reference()` when the differential check is on.
#[cfg(feature = "std")]
#[allow(clippy::panic)]
fn agreed(what: &str, host: bool, reference: impl FnOnce() -> bool) -> bool {
	use std::sync::atomic::Ordering;
	if DIFFERENTIAL.load(Ordering::Relaxed) {
		let portable = reference();
		CHECKS.fetch_add(1, Ordering::SeqCst);
		if portable != host {
			panic!("{what}: host says {host}, the portable reference {portable}");
		}
	}
	host
}

#[cfg(not(feature = "std"))]
fn agreed(_: &str, host: bool, _: impl FnOnce() -> bool) -> bool {
	host
}

/// ECDSA P-256 SHA-256 of `msg` under `key`.
pub(crate) fn p256_sha256(
	key: &p256::ecdsa::VerifyingKey,
	msg: &[u8],
	sig: &p256::ecdsa::Signature,
) -> bool {
	let (point, sig) = (key.to_sec1_point(false), sig.to_bytes());
	agreed(
		"ECDSA P-256",
		aicf_crypto::ecdsa_p256_sha256_verify(point.as_bytes(), msg, &sig),
		|| portable::ecdsa_p256_sha256(point.as_bytes(), msg, &sig),
	)
}

/// ECDSA P-384 SHA-384 of `msg` under `key`.
pub(crate) fn p384_sha384(
	key: &p384::ecdsa::VerifyingKey,
	msg: &[u8],
	sig: &p384::ecdsa::Signature,
) -> bool {
	let (point, sig) = (key.to_sec1_point(false), sig.to_bytes());
	agreed(
		"ECDSA P-384",
		aicf_crypto::ecdsa_p384_sha384_verify(point.as_bytes(), msg, &sig),
		|| portable::ecdsa_p384_sha384(point.as_bytes(), msg, &sig),
	)
}

/// ECDSA P-521 SHA-512 of `msg` under the uncompressed SEC1 point `key`, `sig` `r ‖ s`.
pub(crate) fn p521_sha512(key: &[u8], msg: &[u8], sig: &[u8]) -> bool {
	agreed("ECDSA P-521", aicf_crypto::ecdsa_p521_sha512_verify(key, msg, sig), || {
		portable::ecdsa_p521_sha512(key, msg, sig)
	})
}

/// RSASSA-PSS SHA-384 with a 48-byte salt of `msg` under the key `(modulus, exponent)`.
pub(crate) fn rsa_pss_sha384(modulus: &[u8], exponent: &[u8], msg: &[u8], sig: &[u8]) -> bool {
	agreed("RSA-PSS", aicf_crypto::rsa_pss_sha384_verify(modulus, exponent, msg, sig), || {
		portable::rsa_pss_sha384(modulus, exponent, msg, sig)
	})
}

/// A self-signed RSASSA-PSS certificate's key, signed bytes and signature.
#[cfg(feature = "std")]
pub struct RsaSelfSignature {
	/// The modulus, big-endian.
	pub modulus: Vec<u8>,
	/// The public exponent, big-endian.
	pub exponent: Vec<u8>,
	/// The DER `TBSCertificate`.
	pub signed: Vec<u8>,
	/// The signature.
	pub signature: Vec<u8>,
}

/// The RSA self-signature of a certificate (an AMD ARK): a real input of [`rsa_pss_sha384`]
/// for tests and fuzzing.
#[cfg(feature = "std")]
pub fn rsa_self_signature(der: &[u8]) -> Option<RsaSelfSignature> {
	use der::Decode as _;
	let cert = crate::x509::Cert::parse(der).ok()?;
	let spki = cert.tbs().subject_public_key_info();
	let key = rsa::pkcs1::RsaPublicKeyRef::from_der(spki.subject_public_key.as_bytes()?).ok()?;
	Some(RsaSelfSignature {
		modulus: key.modulus.as_bytes().to_vec(),
		exponent: key.public_exponent.as_bytes().to_vec(),
		signed: cert.tbs_der.to_vec(),
		signature: cert.decoded.signature().as_bytes()?.to_vec(),
	})
}

/// The reference implementations, with the host functions' signatures and input rules
/// ([`aicf_primitives::host::classical_inputs_ok`]): RustCrypto's `p256`, `p384` and `rsa`.
pub mod portable {
	use aicf_primitives::host::{classical_inputs_ok, Classical};
	use p384::ecdsa::signature::Verifier as _;

	/// ECDSA P-256 SHA-256: `key` an uncompressed SEC1 point, `sig` `r ‖ s`.
	pub fn ecdsa_p256_sha256(key: &[u8], msg: &[u8], sig: &[u8]) -> bool {
		use p256::ecdsa::{Signature, VerifyingKey};
		if !classical_inputs_ok(Classical::EcdsaP256, key, &[], sig) {
			return false;
		}
		let (Ok(key), Ok(sig)) = (VerifyingKey::from_sec1_bytes(key), Signature::from_slice(sig))
		else {
			return false;
		};
		key.verify(msg, &sig).is_ok()
	}

	/// ECDSA P-384 SHA-384: `key` an uncompressed SEC1 point, `sig` `r ‖ s`.
	pub fn ecdsa_p384_sha384(key: &[u8], msg: &[u8], sig: &[u8]) -> bool {
		use p384::ecdsa::{Signature, VerifyingKey};
		if !classical_inputs_ok(Classical::EcdsaP384, key, &[], sig) {
			return false;
		}
		let (Ok(key), Ok(sig)) = (VerifyingKey::from_sec1_bytes(key), Signature::from_slice(sig))
		else {
			return false;
		};
		key.verify(msg, &sig).is_ok()
	}

	/// ECDSA P-521 SHA-512: `key` an uncompressed SEC1 point, `sig` `r ‖ s`.
	pub fn ecdsa_p521_sha512(key: &[u8], msg: &[u8], sig: &[u8]) -> bool {
		use p521::ecdsa::{Signature, VerifyingKey};
		if !classical_inputs_ok(Classical::EcdsaP521, key, &[], sig) {
			return false;
		}
		let (Ok(key), Ok(sig)) = (VerifyingKey::from_sec1_bytes(key), Signature::from_slice(sig))
		else {
			return false;
		};
		key.verify(msg, &sig).is_ok()
	}

	/// RSASSA-PSS SHA-384, MGF1-SHA-384, 48-byte salt: `modulus` and `exponent` big-endian.
	pub fn rsa_pss_sha384(modulus: &[u8], exponent: &[u8], msg: &[u8], sig: &[u8]) -> bool {
		if !classical_inputs_ok(Classical::RsaPssSha384, modulus, exponent, sig) {
			return false;
		}
		let (Ok(n), Ok(e)) = (der::asn1::UintRef::new(modulus), der::asn1::UintRef::new(exponent))
		else {
			return false;
		};
		let key_ref = rsa::pkcs1::RsaPublicKeyRef { modulus: n, public_exponent: e };
		let Ok(key) = rsa::PublicKey::try_from(key_ref) else {
			return false;
		};
		let vk = rsa::pss::VerifyingKey::<sha2::Sha384>::new_with_salt_len(key, 48);
		let Ok(sig) = rsa::pss::Signature::try_from(sig) else {
			return false;
		};
		vk.verify(msg, &sig).is_ok()
	}
}
