//! Intel's PKI profile for DCAP: P-256/ECDSA-SHA256 certificates ([`IntelCert`]) and CRLs
//! ([`Crl`]), PEM chains, raw `r || s` signatures and keys, and the Intel SGX extension of PCK
//! certificates.
//!
//! Certificates are parsed by [`crate::x509::Cert`] (which also holds their validity rule);
//! CRLs are decoded with `x509-cert`. The signed `TBS` bytes are cut from the outer `SEQUENCE`
//! as they were received (never re-encoded), so a signature covers exactly the bytes that were
//! checked.

use alloc::vec::Vec;
use der::{
	asn1::{ObjectIdentifier, OctetStringRef},
	Decode, Reader, SliceReader,
};
use p256::ecdsa::{Signature, VerifyingKey};
use x509_cert::crl::CertificateList;

use crate::{
	x509::{ecdsa_scalars, split_signed, Cert, ID_EC_PUBLIC_KEY},
	AttestationError, ParseRegion,
};

const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const PRIME256V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
const SGX_EXTENSION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113741.1.13.1");
const SGX_TCB: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113741.1.13.1.2");
const SGX_PCEID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113741.1.13.1.3");
const SGX_FMSPC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113741.1.13.1.4");
const SGX_TCB_PCESVN: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113741.1.13.1.2.17");
const SGX_TCB_CPUSVN: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113741.1.13.1.2.18");

/// SHA-256 of `data`.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
	use sha2::Digest;
	sha2::Sha256::digest(data).into()
}

/// An ECDSA P-256 signature from its DER `Ecdsa-Sig-Value` form.
fn signature_from_der(der: &[u8]) -> Option<Signature> {
	let (r, s) = ecdsa_scalars::<32>(der)?;
	Signature::from_scalars(r, s).ok()
}

/// An ECDSA P-256 signature from raw `r || s` (64 bytes).
pub(crate) fn signature_from_raw(raw: &[u8]) -> Option<Signature> {
	if raw.len() != 64 {
		return None;
	}
	Signature::from_slice(raw).ok()
}

/// A P-256 public key from raw `x || y` (64 bytes), as quotes carry attestation keys.
pub(crate) fn key_from_raw(raw: &[u8]) -> Option<VerifyingKey> {
	if raw.len() != 64 {
		return None;
	}
	let mut sec1 = [0x04u8; 65];
	sec1.get_mut(1..)?.copy_from_slice(raw);
	VerifyingKey::from_sec1_bytes(&sec1).ok()
}

/// Verifies an ECDSA-SHA256 signature, mapping failure to [`AttestationError::Signature`].
pub(crate) fn verify_sig(
	key: &VerifyingKey,
	msg: &[u8],
	sig: &Signature,
) -> Result<(), AttestationError> {
	if crate::sig::p256_sha256(key, msg, sig) {
		Ok(())
	} else {
		Err(AttestationError::Signature)
	}
}

/// A certificate of Intel's PKI (root CA, PCK CA, PCK leaf, TCB signing) with its P-256 key
/// and its issuer's signature decoded.
pub(crate) struct IntelCert<'a> {
	/// The certificate.
	pub cert: Cert<'a>,
	/// Its P-256 public key.
	pub key: VerifyingKey,
	/// Its signature (by the issuer).
	sig: Signature,
}

impl<'a> IntelCert<'a> {
	/// Decodes a DER certificate ([`Cert::parse`]) in Intel's profile: ECDSA-SHA256 signed
	/// ([`AttestationError::Unsupported`] otherwise), a P-256 key, no unknown critical
	/// extension ([`AttestationError::Chain`]).
	pub fn parse(der: &'a [u8]) -> Result<Self, AttestationError> {
		let bad = AttestationError::Parse(ParseRegion::Certificate);
		let cert = Cert::parse(der)?;
		let t = cert.tbs();
		if cert.decoded.signature_algorithm().oid != ECDSA_WITH_SHA256
			|| t.signature().oid != ECDSA_WITH_SHA256
		{
			return Err(AttestationError::Unsupported);
		}
		let spki = t.subject_public_key_info();
		let curve =
			spki.algorithm.parameters.as_ref().and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
		if spki.algorithm.oid != ID_EC_PUBLIC_KEY || curve != Some(PRIME256V1) {
			return Err(AttestationError::Unsupported);
		}
		let key_bytes = spki.subject_public_key.as_bytes().ok_or_else(|| bad.clone())?;
		let key = VerifyingKey::from_sec1_bytes(key_bytes).map_err(|_| bad.clone())?;
		let sig = cert
			.decoded
			.signature()
			.as_bytes()
			.and_then(signature_from_der)
			.ok_or_else(|| bad.clone())?;
		for ext in t.extensions().into_iter().flatten() {
			if ext.critical && ext.extn_id != BASIC_CONSTRAINTS && ext.extn_id != KEY_USAGE {
				return Err(AttestationError::Chain);
			}
		}
		Ok(Self { cert, key, sig })
	}

	/// Checks that `issuer` issued and signed this certificate.
	pub fn check_issued_by(&self, issuer: &IntelCert<'_>) -> Result<(), AttestationError> {
		if !self.cert.issued_by_name(&issuer.cert) {
			return Err(AttestationError::Chain);
		}
		verify_sig(&issuer.key, self.cert.tbs_der, &self.sig)
	}

	/// The Intel SGX extension of a PCK certificate.
	pub fn pck_extension(&self) -> Result<PckExtension, AttestationError> {
		let bad = AttestationError::Parse(ParseRegion::Certificate);
		let ext = self.cert.extension(&SGX_EXTENSION)?.ok_or_else(|| bad.clone())?;
		PckExtension::parse(ext).ok_or(bad)
	}
}

/// What the PCK certificate says about the platform.
pub(crate) struct PckExtension {
	/// Family-model-stepping-platform-custom SKU.
	pub fmspc: [u8; 6],
	/// PCE identifier.
	pub pce_id: [u8; 2],
	/// The platform's CPU SVN as certified.
	pub cpu_svn: [u8; 16],
	/// The platform's PCE SVN as certified.
	pub pce_svn: u16,
}

/// Walks a `SEQUENCE OF SEQUENCE { OID, value }`, calling `f` with each OID and the raw value
/// TLV.
fn for_each_entry<'a>(
	bytes: &'a [u8],
	mut f: impl FnMut(ObjectIdentifier, &'a [u8]) -> Option<()>,
) -> Option<()> {
	let mut reader = SliceReader::new(bytes).ok()?;
	let mut failed = false;
	reader
		.sequence(|r: &mut SliceReader<'a>| {
			while !r.is_finished() {
				let (oid, value) = r.sequence(|e: &mut SliceReader<'a>| {
					let oid = ObjectIdentifier::decode(e)?;
					let value = e.tlv_bytes()?;
					Ok::<_, der::Error>((oid, value))
				})?;
				if f(oid, value).is_none() {
					failed = true;
				}
			}
			Ok::<_, der::Error>(())
		})
		.ok()?;
	reader.finish().ok()?;
	(!failed).then_some(())
}

fn octets<const N: usize>(tlv: &[u8]) -> Option<[u8; N]> {
	<&OctetStringRef>::from_der(tlv).ok()?.as_bytes().try_into().ok()
}

impl PckExtension {
	fn parse(bytes: &[u8]) -> Option<Self> {
		let (mut fmspc, mut pce_id, mut cpu_svn, mut pce_svn) = (None, None, None, None);
		for_each_entry(bytes, |oid, value| {
			if oid == SGX_FMSPC {
				fmspc = Some(octets::<6>(value)?);
			} else if oid == SGX_PCEID {
				pce_id = Some(octets::<2>(value)?);
			} else if oid == SGX_TCB {
				// The TCB entry is itself a SEQUENCE OF SEQUENCE { OID, value }.
				for_each_entry(value, |oid, v| {
					if oid == SGX_TCB_CPUSVN {
						cpu_svn = Some(octets::<16>(v)?);
					} else if oid == SGX_TCB_PCESVN {
						pce_svn = Some(u16::from_der(v).ok()?);
					}
					Some(())
				})?;
			}
			Some(())
		})?;
		Some(Self { fmspc: fmspc?, pce_id: pce_id?, cpu_svn: cpu_svn?, pce_svn: pce_svn? })
	}
}

/// A decoded CRL.
pub(crate) struct Crl {
	/// The decoded list.
	pub list: CertificateList,
	/// The signed part.
	pub tbs: Vec<u8>,
	/// The issuer's signature.
	pub sig: Signature,
	/// `thisUpdate`, Unix seconds.
	pub this_update: u64,
	/// `nextUpdate`, Unix seconds.
	pub next_update: u64,
}

impl Crl {
	/// Decodes a DER CRL signed with ECDSA-SHA256 that has a `nextUpdate`.
	pub fn parse(der: &[u8]) -> Result<Self, AttestationError> {
		let bad = AttestationError::Parse(ParseRegion::Collateral);
		let tbs = split_signed(der).map_err(|_| bad.clone())?.to_vec();
		let list = CertificateList::from_der(der).map_err(|_| bad.clone())?;
		if list.signature_algorithm.oid != ECDSA_WITH_SHA256 {
			return Err(AttestationError::Unsupported);
		}
		let sig =
			list.signature.as_bytes().and_then(signature_from_der).ok_or_else(|| bad.clone())?;
		let this_update = list.tbs_cert_list.this_update.to_unix_duration().as_secs();
		let next_update =
			list.tbs_cert_list.next_update.ok_or_else(|| bad.clone())?.to_unix_duration().as_secs();
		Ok(Self { list, tbs, sig, this_update, next_update })
	}

	/// Checks the issuer name and signature, and `now` against `thisUpdate`/`nextUpdate`
	/// (`nextUpdate` exclusive, as webpki treats it).
	pub fn check(&self, issuer: &IntelCert<'_>, now: u64) -> Result<(), AttestationError> {
		if self.list.tbs_cert_list.issuer != *issuer.cert.subject() {
			return Err(AttestationError::Chain);
		}
		verify_sig(&issuer.key, &self.tbs, &self.sig)?;
		if now < self.this_update {
			return Err(AttestationError::NotYetValid);
		}
		if now >= self.next_update {
			return Err(AttestationError::Expired);
		}
		Ok(())
	}

	/// The revoked serial numbers (DER content bytes).
	pub fn revoked(&self) -> impl Iterator<Item = &[u8]> {
		self.list
			.tbs_cert_list
			.revoked_certificates
			.iter()
			.flatten()
			.map(|r| r.serial_number.as_bytes())
	}
}

const PEM_BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
const PEM_END: &[u8] = b"-----END CERTIFICATE-----";

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
	haystack.windows(needle.len()).position(|w| w == needle)
}

/// Decodes a concatenation of PEM `CERTIFICATE` blocks into DER certificates. Only
/// whitespace and NUL padding may appear between blocks.
pub(crate) fn pem_chain(mut input: &[u8]) -> Result<Vec<Vec<u8>>, AttestationError> {
	let bad = AttestationError::Parse(ParseRegion::Certificate);
	let mut out = Vec::new();
	loop {
		let start = input.iter().position(|b| !b.is_ascii_whitespace() && *b != 0);
		let Some(start) = start else { break };
		let rest = input.get(start..).ok_or_else(|| bad.clone())?;
		if !rest.starts_with(PEM_BEGIN) {
			return Err(bad);
		}
		let end = find(rest, PEM_END).ok_or_else(|| bad.clone())?;
		let end = end.checked_add(PEM_END.len()).ok_or_else(|| bad.clone())?;
		let block = rest.get(..end).ok_or_else(|| bad.clone())?;
		let (label, der) = pem_rfc7468::decode_vec(block).map_err(|_| bad.clone())?;
		if label != "CERTIFICATE" {
			return Err(bad);
		}
		out.push(der);
		input = rest.get(end..).ok_or_else(|| bad.clone())?;
	}
	Ok(out)
}
