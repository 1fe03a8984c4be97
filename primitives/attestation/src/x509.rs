//! X.509 certificates for every chain the verifier checks (Intel DCAP, AMD SEV-SNP, quantum
//! facilities): parsing with a size cap, issuer/subject linking, validity windows, CA
//! constraints, extensions, the pinned-root lookup, and signature verification for the AMD and
//! facility algorithms.
//!
//! A certificate's signature covers its DER `TBSCertificate` exactly as received: the bytes are
//! cut from the outer `SEQUENCE`, never re-encoded.
//!
//! [`Cert::verify_signed_by`] accepts only the algorithms the SEV-SNP and quantum chains use:
//! RSASSA-PSS with SHA-384, MGF1 SHA-384 and a 48-byte salt under an RSA-4096 key (AMD), and
//! ECDSA P-384 with SHA-384 (AMD VCEK/VLEK keys, quantum facilities). Anything else is
//! [`AttestationError::Unsupported`]. Intel's P-256 certificates are checked by
//! `dcap::pki`, which holds the Intel profile.

use alloc::vec::Vec;
use const_oid::ObjectIdentifier;
use der::{asn1::UintRef, Decode, Reader, SliceReader};
use rsa::pkcs1::RsaPssParamsOwned;
use x509_cert::{
	certificate::TbsCertificate,
	ext::pkix::{BasicConstraints, KeyUsage},
	name::Name,
	Certificate,
};

use crate::{check_window, AttestationError, ParseRegion};

/// Largest certificate accepted, in DER bytes. AMD's RSA-4096 ARK/ASK are about 1.6 KiB,
/// Intel's and facility certificates under 1.5 KiB.
pub(crate) const MAX_CERT_LEN: usize = 8 * 1024;

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const ID_RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const ID_MGF1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8");
const ID_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const ECDSA_WITH_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
/// `id-ecPublicKey`, the SPKI algorithm of every ECDSA key.
pub(crate) const ID_EC_PUBLIC_KEY: ObjectIdentifier =
	ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// `secp384r1`, the named curve of P-384 keys.
pub(crate) const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");

/// RSA modulus size AMD uses for ARK and ASK keys, in bytes (4096 bits).
const RSA_MODULUS_LEN: usize = 512;
/// The public exponent of AMD's keys, 65537, big-endian.
const RSA_EXPONENT: &[u8] = &[1, 0, 1];
/// PSS salt length AMD uses (the SHA-384 output size).
const PSS_SALT_LEN: u8 = 48;

const CERT: AttestationError = AttestationError::Parse(ParseRegion::Certificate);

/// The extensions this verifier processes, and so the only ones a certificate may mark
/// critical (RFC 5280 §4.2: a certificate with a critical extension the verifier does not
/// recognise must be rejected): basic constraints and key usage (CA checks) and the quantum
/// facility identity.
const KNOWN_CRITICAL: [ObjectIdentifier; 3] = [
	ObjectIdentifier::new_unwrap("2.5.29.19"),
	ObjectIdentifier::new_unwrap("2.5.29.15"),
	crate::quantum::FACILITY_IDENTITY_OID,
];

/// A parsed certificate with the exact bytes its signature covers.
pub(crate) struct Cert<'a> {
	/// The DER bytes as received.
	pub der: &'a [u8],
	/// The DER `TBSCertificate` as it appears in the input (not re-encoded).
	pub tbs_der: &'a [u8],
	/// The decoded certificate.
	pub decoded: Certificate,
	/// Validity start (`notBefore`), Unix seconds.
	pub not_before: u64,
	/// Validity end (`notAfter`), Unix seconds: the last second the certificate is valid.
	pub not_after: u64,
}

impl<'a> Cert<'a> {
	/// Parses one DER certificate of at most [`MAX_CERT_LEN`] bytes whose signature algorithm
	/// is the one its `TBSCertificate` names (RFC 5280 §4.1.1.2). A critical extension other
	/// than basic constraints, key usage and the facility identity is refused
	/// ([`AttestationError::Chain`]: the certificate cannot be part of a chain this verifier
	/// accepts).
	pub fn parse(der: &'a [u8]) -> Result<Self, AttestationError> {
		if der.len() > MAX_CERT_LEN {
			return Err(CERT);
		}
		let tbs_der = split_signed(der).map_err(|_| CERT)?;
		let decoded = Certificate::from_der(der).map_err(|_| CERT)?;
		if decoded.tbs_certificate().signature() != decoded.signature_algorithm() {
			return Err(CERT);
		}
		let extensions = decoded.tbs_certificate().extensions().map(|e| e.as_slice());
		if extensions
			.unwrap_or(&[])
			.iter()
			.any(|e| e.critical && !KNOWN_CRITICAL.contains(&e.extn_id))
		{
			return Err(AttestationError::Chain);
		}
		let validity = decoded.tbs_certificate().validity();
		let not_before = validity.not_before.to_unix_duration().as_secs();
		let not_after = validity.not_after.to_unix_duration().as_secs();
		Ok(Self { der, tbs_der, decoded, not_before, not_after })
	}

	/// The decoded `TBSCertificate`.
	pub fn tbs(&self) -> &TbsCertificate {
		self.decoded.tbs_certificate()
	}

	/// The subject name.
	pub fn subject(&self) -> &Name {
		self.tbs().subject()
	}

	/// The issuer name.
	pub fn issuer(&self) -> &Name {
		self.tbs().issuer()
	}

	/// The serial number's DER content bytes.
	pub fn serial(&self) -> &[u8] {
		self.tbs().serial_number().as_bytes()
	}

	/// Checks that `now` lies in the validity period, both ends included (RFC 5280
	/// §4.1.2.5: "from notBefore through notAfter, inclusive"), and returns `not_after`.
	pub fn check_time(&self, now: u64) -> Result<u64, AttestationError> {
		check_window(self.not_before, self.not_after, now)?;
		Ok(self.not_after)
	}

	/// Whether this certificate names `issuer` as its issuer.
	pub fn issued_by_name(&self, issuer: &Cert<'_>) -> bool {
		self.issuer() == issuer.subject()
	}

	/// Checks that this certificate may sign certificates: basic constraints present with
	/// `cA` set, and key usage, where present, allowing `keyCertSign`.
	pub fn check_ca(&self) -> Result<(), AttestationError> {
		let tbs = self.tbs();
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

	/// Checks that this certificate's key may sign CRLs: key usage, where present, allows
	/// `cRLSign` (RFC 5280 §4.2.1.3).
	pub fn check_crl_sign(&self) -> Result<(), AttestationError> {
		match self.tbs().get_extension::<KeyUsage>().map_err(|_| CERT)? {
			Some((_, ku)) if !ku.crl_sign() => Err(AttestationError::Chain),
			_ => Ok(()),
		}
	}

	/// Verifies this certificate's signature with `issuer`'s public key (RSASSA-PSS-4096 or
	/// ECDSA P-384, both SHA-384).
	pub fn verify_signed_by(&self, issuer: &Cert<'_>) -> Result<(), AttestationError> {
		let sig = self.decoded.signature().as_bytes().ok_or(CERT)?;
		verify_signature(self.decoded.signature_algorithm(), self.tbs_der, sig, issuer)
	}

	/// The certificate's P-384 public key.
	pub fn p384_key(&self) -> Result<p384::ecdsa::VerifyingKey, AttestationError> {
		let spki = self.tbs().subject_public_key_info();
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

	/// The raw value of the extension `oid`, if present exactly once. A repeated extension is
	/// malformed (RFC 5280 §4.2).
	pub fn extension(&self, oid: &ObjectIdentifier) -> Result<Option<&[u8]>, AttestationError> {
		let mut found = None;
		for ext in self.tbs().extensions().map(|e| e.as_slice()).unwrap_or(&[]) {
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
		self.tbs().subject_public_key_info().to_der().map_err(|_| CERT)
	}
}

/// Verifies `signature` over `signed` (a certificate's or CRL's signed part, as received)
/// with `issuer`'s public key, for `alg` RSASSA-PSS-4096 or ECDSA P-384, both SHA-384.
pub(crate) fn verify_signature(
	alg: &spki::AlgorithmIdentifierOwned,
	signed: &[u8],
	signature: &[u8],
	issuer: &Cert<'_>,
) -> Result<(), AttestationError> {
	let spki = issuer.tbs().subject_public_key_info();
	if alg.oid == ID_RSASSA_PSS {
		check_pss_params(alg.parameters.as_ref())?;
		if spki.algorithm.oid != RSA_ENCRYPTION {
			return Err(AttestationError::Unsupported);
		}
		let key_bytes = spki.subject_public_key.as_bytes().ok_or(CERT)?;
		let key = rsa::pkcs1::RsaPublicKeyRef::from_der(key_bytes).map_err(|_| CERT)?;
		let (n, e) = (key.modulus.as_bytes(), key.public_exponent.as_bytes());
		if n.len() != RSA_MODULUS_LEN || e != RSA_EXPONENT {
			return Err(AttestationError::Unsupported);
		}
		if crate::sig::rsa_pss_sha384(n, e, signed, signature) {
			Ok(())
		} else {
			Err(AttestationError::Signature)
		}
	} else if alg.oid == ECDSA_WITH_SHA384 {
		if alg.parameters.is_some() {
			return Err(CERT);
		}
		let vk = issuer.p384_key()?;
		let (r, s) = ecdsa_scalars::<48>(signature).ok_or(AttestationError::Signature)?;
		let sig =
			p384::ecdsa::Signature::from_scalars(r, s).map_err(|_| AttestationError::Signature)?;
		if crate::sig::p384_sha384(&vk, signed, &sig) {
			Ok(())
		} else {
			Err(AttestationError::Signature)
		}
	} else {
		Err(AttestationError::Unsupported)
	}
}

/// SHA-256 of a distinguished name's DER: how a chain's certificate names its issuer's root,
/// and how a CRL names the certificates it speaks for.
pub(crate) fn name_hash(name: &Name) -> Result<[u8; 32], AttestationError> {
	use der::Encode as _;
	use sha2::Digest as _;
	let der = name.to_der().map_err(|_| CERT)?;
	Ok(sha2::Sha256::digest(der).into())
}

/// Finds the pinned root that issued `top` (the highest certificate of a chain): named as
/// `top`'s issuer, self-issued, a CA, and `top`'s signer. The root's own self-signature is not
/// verified here: trust in a root comes from pinning it, and whoever pins one checks it once
/// ([`crate::check_root`]; the attestation pallet does when governance pins it). Pinned
/// entries that do not parse are skipped. When no root fits, the error of the last candidate
/// that named the right issuer, else [`AttestationError::Chain`].
pub(crate) fn find_root<'r>(
	top: &Cert<'_>,
	pinned: &[&'r [u8]],
) -> Result<Cert<'r>, AttestationError> {
	let mut err = AttestationError::Chain;
	for der in pinned {
		let Ok(root) = Cert::parse(der) else { continue };
		if !top.issued_by_name(&root) || !root.issued_by_name(&root) {
			continue;
		}
		let checked = root.check_ca().and_then(|()| top.verify_signed_by(&root));
		match checked {
			Ok(()) => return Ok(root),
			Err(e) => err = e,
		}
	}
	Err(err)
}

/// Cuts a signed DER object (`SEQUENCE { tbs, algorithm, signature }`, certificate or CRL) into
/// its signed part, as received. Nothing may follow the outer `SEQUENCE`.
pub(crate) fn split_signed(der: &[u8]) -> der::Result<&[u8]> {
	let mut reader = SliceReader::new(der)?;
	let tbs = reader.sequence(|r: &mut SliceReader<'_>| {
		let tbs = r.tlv_bytes()?;
		let _algorithm = r.tlv_bytes()?;
		let _signature = r.tlv_bytes()?;
		Ok::<_, der::Error>(tbs)
	})?;
	reader.finish()?;
	Ok(tbs)
}

/// Decodes an X.509 ECDSA signature value, `SEQUENCE { r INTEGER, s INTEGER }`, into big-endian
/// scalars of `N` bytes (32 for P-256, 48 for P-384). `None` when it is malformed, has trailing
/// bytes or a scalar does not fit.
pub(crate) fn ecdsa_scalars<const N: usize>(der: &[u8]) -> Option<([u8; N], [u8; N])> {
	let mut reader = SliceReader::new(der).ok()?;
	let (r, s) = reader
		.sequence(|r| Ok::<_, der::Error>((UintRef::decode(r)?, UintRef::decode(r)?)))
		.ok()?;
	reader.finish().ok()?;
	Some((left_pad(r.as_bytes())?, left_pad(s.as_bytes())?))
}

/// `b` right-aligned in `N` bytes; `None` when it is longer.
fn left_pad<const N: usize>(b: &[u8]) -> Option<[u8; N]> {
	let mut out = [0u8; N];
	let start = N.checked_sub(b.len())?;
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
