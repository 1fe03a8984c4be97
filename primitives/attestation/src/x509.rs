//! X.509 certificate checks shared by the SEV-SNP (ARK → ASK → VCEK) and quantum facility
//! chains: parsing with a size cap, issuer/subject linking, signature verification over the
//! certificate's own TBS bytes, validity windows and CA constraints.
//!
//! Only the algorithms the supported chains use are accepted: RSASSA-PSS with SHA-384, MGF1
//! SHA-384 and a 48-byte salt under an RSA-4096 key (AMD), and ECDSA P-384 with SHA-384 (AMD
//! VCEK/VLEK keys, quantum facilities). Anything else is [`AttestationError::Unsupported`].

use alloc::vec::Vec;
use const_oid::ObjectIdentifier;
use der::{asn1::UintRef, Decode, Reader, SliceReader};
use p384::ecdsa::signature::Verifier as _;
use rsa::{pkcs1::RsaPssParamsOwned, traits::PublicKeyParts as _};
use x509_cert::{
	ext::pkix::{BasicConstraints, KeyUsage},
	Certificate,
};

use crate::{AttestationError, ParseRegion};

/// Largest certificate accepted, in DER bytes. AMD's RSA-4096 ARK/ASK are about 1.6 KiB.
pub(crate) const MAX_CERT_LEN: usize = 8 * 1024;

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const ID_RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const ID_MGF1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8");
const ID_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const ECDSA_WITH_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");

/// RSA modulus size AMD uses for ARK and ASK keys, in bytes (4096 bits).
const RSA_MODULUS_LEN: usize = 512;
/// PSS salt length AMD uses (the SHA-384 output size).
const PSS_SALT_LEN: u8 = 48;

const CERT: AttestationError = AttestationError::Parse(ParseRegion::Certificate);

/// A parsed certificate with the exact bytes its signature covers.
pub(crate) struct Cert<'a> {
	/// The decoded certificate.
	pub cert: Certificate,
	/// The DER `TBSCertificate` as it appears in the input (not re-encoded).
	tbs: &'a [u8],
}

impl<'a> Cert<'a> {
	/// Parses one DER certificate of at most [`MAX_CERT_LEN`] bytes.
	pub fn parse(der: &'a [u8]) -> Result<Self, AttestationError> {
		if der.len() > MAX_CERT_LEN {
			return Err(CERT);
		}
		let cert = Certificate::from_der(der).map_err(|_| CERT)?;
		// The outer SEQUENCE holds TBSCertificate, signatureAlgorithm and signatureValue; the
		// signature covers the first element's bytes exactly as received.
		let mut reader = SliceReader::new(der).map_err(|_| CERT)?;
		let tbs = reader
			.sequence(|r| {
				let tbs = r.tlv_bytes()?;
				r.tlv_bytes()?;
				r.tlv_bytes()?;
				Ok::<_, der::Error>(tbs)
			})
			.map_err(|_| CERT)?;
		if cert.tbs_certificate().signature() != cert.signature_algorithm() {
			return Err(CERT);
		}
		Ok(Self { cert, tbs })
	}

	/// `(not_before, not_after)` in Unix seconds.
	pub fn validity(&self) -> (u64, u64) {
		let v = self.cert.tbs_certificate().validity();
		(v.not_before.to_unix_duration().as_secs(), v.not_after.to_unix_duration().as_secs())
	}

	/// Checks the validity window at `now` and returns `not_after`.
	pub fn check_time(&self, now: u64) -> Result<u64, AttestationError> {
		let (not_before, not_after) = self.validity();
		if now < not_before {
			return Err(AttestationError::NotYetValid);
		}
		if now > not_after {
			return Err(AttestationError::Expired);
		}
		Ok(not_after)
	}

	/// Whether this certificate names `issuer` as its issuer.
	pub fn issued_by_name(&self, issuer: &Cert<'_>) -> bool {
		self.cert.tbs_certificate().issuer() == issuer.cert.tbs_certificate().subject()
	}

	/// Checks that this certificate may sign certificates: basic constraints present with
	/// `cA` set, and key usage, where present, allowing `keyCertSign`.
	pub fn check_ca(&self) -> Result<(), AttestationError> {
		let tbs = self.cert.tbs_certificate();
		match tbs.get_extension::<BasicConstraints>().map_err(|_| CERT)? {
			Some((_, bc)) if bc.ca => {},
			_ => return Err(AttestationError::Chain),
		}
		if let Some((_, ku)) = tbs.get_extension::<KeyUsage>().map_err(|_| CERT)? {
			if !ku.key_cert_sign() {
				return Err(AttestationError::Chain);
			}
		}
		Ok(())
	}

	/// Verifies this certificate's signature with `issuer`'s public key.
	pub fn verify_signed_by(&self, issuer: &Cert<'_>) -> Result<(), AttestationError> {
		let alg = self.cert.signature_algorithm();
		let sig = self.cert.signature().as_bytes().ok_or(CERT)?;
		let spki = issuer.cert.tbs_certificate().subject_public_key_info();
		if alg.oid == ID_RSASSA_PSS {
			check_pss_params(alg.parameters.as_ref())?;
			if spki.algorithm.oid != RSA_ENCRYPTION {
				return Err(AttestationError::Unsupported);
			}
			let key_bytes = spki.subject_public_key.as_bytes().ok_or(CERT)?;
			let key_ref = rsa::pkcs1::RsaPublicKeyRef::from_der(key_bytes).map_err(|_| CERT)?;
			let key = rsa::PublicKey::try_from(key_ref).map_err(|_| CERT)?;
			if key.size() != RSA_MODULUS_LEN {
				return Err(AttestationError::Unsupported);
			}
			let vk = rsa::pss::VerifyingKey::<sha2::Sha384>::new_with_salt_len(
				key,
				usize::from(PSS_SALT_LEN),
			);
			let sig =
				rsa::pss::Signature::try_from(sig).map_err(|_| AttestationError::Signature)?;
			vk.verify(self.tbs, &sig).map_err(|_| AttestationError::Signature)
		} else if alg.oid == ECDSA_WITH_SHA384 {
			if alg.parameters.is_some() {
				return Err(CERT);
			}
			let vk = p384_key(issuer)?;
			let sig = ecdsa_der_signature(sig)?;
			vk.verify(self.tbs, &sig).map_err(|_| AttestationError::Signature)
		} else {
			Err(AttestationError::Unsupported)
		}
	}

	/// The certificate's P-384 public key.
	pub fn p384_key(&self) -> Result<p384::ecdsa::VerifyingKey, AttestationError> {
		p384_key(self)
	}

	/// The raw value of the extension `oid`, if present exactly once. A repeated extension is
	/// malformed.
	pub fn extension(&self, oid: &ObjectIdentifier) -> Result<Option<&[u8]>, AttestationError> {
		let mut found = None;
		for ext in self.cert.tbs_certificate().extensions().map(|e| e.as_slice()).unwrap_or(&[]) {
			if ext.extn_id == *oid {
				if found.is_some() {
					return Err(CERT);
				}
				found = Some(ext.extn_value.as_bytes());
			}
		}
		Ok(found)
	}

	/// The DER `SubjectPublicKeyInfo`.
	pub fn spki_der(&self) -> Result<Vec<u8>, AttestationError> {
		use der::Encode as _;
		self.cert.tbs_certificate().subject_public_key_info().to_der().map_err(|_| CERT)
	}
}

fn p384_key(cert: &Cert<'_>) -> Result<p384::ecdsa::VerifyingKey, AttestationError> {
	let spki = cert.cert.tbs_certificate().subject_public_key_info();
	if spki.algorithm.oid != ID_EC_PUBLIC_KEY {
		return Err(AttestationError::Unsupported);
	}
	let curve = spki
		.algorithm
		.parameters
		.as_ref()
		.ok_or(CERT)?
		.decode_as::<ObjectIdentifier>()
		.map_err(|_| CERT)?;
	if curve != SECP384R1 {
		return Err(AttestationError::Unsupported);
	}
	let point = spki.subject_public_key.as_bytes().ok_or(CERT)?;
	p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| CERT)
}

/// Decodes an X.509 ECDSA signature, `SEQUENCE { r INTEGER, s INTEGER }`, for P-384.
fn ecdsa_der_signature(der: &[u8]) -> Result<p384::ecdsa::Signature, AttestationError> {
	let mut reader = SliceReader::new(der).map_err(|_| AttestationError::Signature)?;
	let (r, s) = reader
		.sequence(|r| Ok::<_, der::Error>((UintRef::decode(r)?, UintRef::decode(r)?)))
		.map_err(|_| AttestationError::Signature)?;
	reader.finish().map_err(|_| AttestationError::Signature)?;
	let r = left_pad_48(r.as_bytes()).ok_or(AttestationError::Signature)?;
	let s = left_pad_48(s.as_bytes()).ok_or(AttestationError::Signature)?;
	p384::ecdsa::Signature::from_scalars(r, s).map_err(|_| AttestationError::Signature)
}

fn left_pad_48(b: &[u8]) -> Option<[u8; 48]> {
	let mut out = [0u8; 48];
	let start = 48usize.checked_sub(b.len())?;
	out.get_mut(start..)?.copy_from_slice(b);
	Some(out)
}

/// Accepts exactly RSASSA-PSS with SHA-384, MGF1-SHA-384, salt 48, trailer field 1.
fn check_pss_params(params: Option<&der::asn1::Any>) -> Result<(), AttestationError> {
	let p: RsaPssParamsOwned =
		params.ok_or(AttestationError::Unsupported)?.decode_as().map_err(|_| CERT)?;
	let mgf_hash = p.mask_gen.parameters.as_ref().map(|h| h.oid);
	if p.hash.oid != ID_SHA384
		|| p.mask_gen.oid != ID_MGF1
		|| mgf_hash != Some(ID_SHA384)
		|| p.salt_len != PSS_SALT_LEN
	{
		return Err(AttestationError::Unsupported);
	}
	Ok(())
}
