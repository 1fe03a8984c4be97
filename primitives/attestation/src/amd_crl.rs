//! AMD certificate revocation lists.
//!
//! AMD's Key Distribution Service publishes one CRL per processor generation
//! (`https://kdsintf.amd.com/vcek/v1/{Milan,Genoa,Turin}/crl`, and the same under `/vlek/v1/`
//! for VLEK chains). The generation's ARK issues and signs it (RSASSA-PSS with SHA-384), and
//! it lists the ASK (or ASVK) certificates AMD revoked. A VCEK is never on it: its issuer is
//! the ASK, and a VCEK is bound to one TCB version anyway.
//!
//! [`verify`] checks a CRL against the pinned ARKs at `now`:
//! 1. size and form: at most [`MAX_CRL_LEN`] bytes, one DER `CertificateList` whose outer
//!    signature algorithm is the one its `TBSCertList` names, with a `nextUpdate`, at most
//!    [`MAX_REVOKED_SERIALS`] entries and serials of at most 21 bytes
//!    ([`AttestationError::Parse`] with [`ParseRegion::Collateral`]);
//! 2. no critical extension, on the list or on an entry ([`AttestationError::Unsupported`]):
//!    every one defined (issuing distribution point, delta CRL indicator, certificate issuer)
//!    changes which certificates the list speaks for, and this verifier reads a complete,
//!    direct CRL only;
//! 3. its issuer: a pinned ARK (self-issued, a CA whose key usage allows `cRLSign`,
//!    self-signed) named as the issuer whose key signs the list ([`AttestationError::Chain`]
//!    when no pinned ARK is named or may sign lists, [`AttestationError::Signature`] when
//!    the signature does not verify);
//! 4. the ARK's validity and the list's window at `now`: `thisUpdate <= now < nextUpdate`
//!    ([`AttestationError::NotYetValid`], [`AttestationError::Expired`]).
//!
//! A certificate is on a verified list when its issuer name hashes to the list's
//! [`VerifiedAmdCrl::issuer`] and its serial is among [`VerifiedAmdCrl::revoked`]
//! ([`revocation_id`] gives both for an ASK).

use crate::{
	dcap::{RevokedSerials, Serial},
	x509::{self, Cert},
	AttestationError, ParseRegion,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use der::Decode as _;
use scale_info::TypeInfo;
use sha2::{Digest, Sha256};
use x509_cert::crl::CertificateList;

/// Largest CRL accepted, DER bytes: room for [`MAX_REVOKED_SERIALS`] entries.
pub const MAX_CRL_LEN: usize = 96 * 1024;
/// Most revoked serials a CRL may list.
pub const MAX_REVOKED_SERIALS: usize = crate::dcap::MAX_REVOKED_PCK_SERIALS as usize;

const CRL: AttestationError = AttestationError::Parse(ParseRegion::Collateral);

/// What the chain keeps of a verified AMD CRL.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct VerifiedAmdCrl {
	/// SHA-256 of the issuer's distinguished name (DER): the ARK's subject.
	pub issuer: [u8; 32],
	/// SHA-256 of the pinned ARK certificate (DER) that signed it.
	pub ark_hash: [u8; 32],
	/// `thisUpdate`, Unix seconds.
	pub this_update: u64,
	/// `nextUpdate`, Unix seconds: the list is current before it.
	pub next_update: u64,
	/// The revoked serial numbers (DER INTEGER content), sorted (bytewise), each once.
	pub revoked: RevokedSerials,
}

impl VerifiedAmdCrl {
	/// Whether the certificate with this issuer-name hash and serial is on the list.
	pub fn revokes(&self, issuer: &[u8; 32], serial: &[u8]) -> bool {
		self.issuer == *issuer
			&& self.revoked.binary_search_by(|s| s.as_slice().cmp(serial)).is_ok()
	}

	/// Adds `other`'s revocations to this list (both sorted; the result sorted, each serial
	/// once), takes the later `thisUpdate` and `nextUpdate` and `other`'s signer, and returns
	/// how many serials were new. A list for another issuer changes nothing
	/// ([`AttestationError::Chain`]); more than [`MAX_REVOKED_SERIALS`] in all changes nothing
	/// ([`AttestationError::Parse`]). Linear in the two lists' lengths.
	pub fn merge(&mut self, other: VerifiedAmdCrl) -> Result<usize, AttestationError> {
		if other.issuer != self.issuer {
			return Err(AttestationError::Chain);
		}
		let (mut a, mut b) = (self.revoked.iter().peekable(), other.revoked.into_iter().peekable());
		let mut merged = alloc::vec::Vec::with_capacity(a.len().saturating_add(b.len()));
		let mut added = 0usize;
		loop {
			let next = match (a.peek(), b.peek()) {
				(None, None) => break,
				(Some(_), None) => a.next().cloned(),
				(None, Some(_)) => {
					added = added.saturating_add(1);
					b.next()
				},
				(Some(x), Some(y)) => match x.as_slice().cmp(y.as_slice()) {
					core::cmp::Ordering::Less => a.next().cloned(),
					core::cmp::Ordering::Greater => {
						added = added.saturating_add(1);
						b.next()
					},
					core::cmp::Ordering::Equal => {
						b.next();
						a.next().cloned()
					},
				},
			};
			merged.extend(next);
		}
		self.revoked = RevokedSerials::try_from(merged).map_err(|_| CRL)?;
		self.this_update = self.this_update.max(other.this_update);
		self.next_update = self.next_update.max(other.next_update);
		self.ark_hash = other.ark_hash;
		Ok(added)
	}
}

/// Verifies `crl` (DER) against the pinned ARKs `arks` (DER certificates) at `now`, Unix
/// seconds. See the [module docs](self) for the checks.
pub fn verify(crl: &[u8], arks: &[&[u8]], now: u64) -> Result<VerifiedAmdCrl, AttestationError> {
	if crl.len() > MAX_CRL_LEN {
		return Err(CRL);
	}
	let signed = x509::split_signed(crl).map_err(|_| CRL)?;
	let list: CertificateList = CertificateList::from_der(crl).map_err(|_| CRL)?;
	let tbs = &list.tbs_cert_list;
	if tbs.signature != list.signature_algorithm {
		return Err(CRL);
	}
	let next_update = tbs.next_update.ok_or(CRL)?.to_unix_duration().as_secs();
	let this_update = tbs.this_update.to_unix_duration().as_secs();
	let entries = tbs.revoked_certificates.as_deref().unwrap_or(&[]);
	if entries.len() > MAX_REVOKED_SERIALS {
		return Err(CRL);
	}
	let critical = |exts: Option<&x509_cert::ext::Extensions>| {
		exts.is_some_and(|e| e.iter().any(|x| x.critical))
	};
	if critical(tbs.crl_extensions.as_ref())
		|| entries.iter().any(|e| critical(e.crl_entry_extensions.as_ref()))
	{
		return Err(AttestationError::Unsupported);
	}
	let mut serials = alloc::vec::Vec::with_capacity(entries.len());
	for entry in entries {
		serials.push(Serial::try_from(entry.serial_number.as_bytes().to_vec()).map_err(|_| CRL)?);
	}
	serials.sort_unstable_by(|a, b| a.as_slice().cmp(b.as_slice()));
	serials.dedup();
	let revoked = RevokedSerials::try_from(serials).map_err(|_| CRL)?;
	let signature = list.signature.as_bytes().ok_or(CRL)?;

	let mut err = AttestationError::Chain;
	let mut signer = None;
	for der in arks {
		let Ok(ark) = Cert::parse(der) else { continue };
		if *ark.subject() != tbs.issuer || !ark.issued_by_name(&ark) {
			continue;
		}
		let checked = ark
			.check_ca()
			.and_then(|()| ark.check_crl_sign())
			.and_then(|()| ark.check_time(now).map(|_| ()))
			.and_then(|()| ark.verify_signed_by(&ark))
			.and_then(|()| {
				x509::verify_signature(&list.signature_algorithm, signed, signature, &ark)
			});
		match checked {
			Ok(()) => {
				signer = Some(Sha256::digest(der).into());
				break;
			},
			Err(e) => err = e,
		}
	}
	let ark_hash = signer.ok_or(err)?;
	if now < this_update {
		return Err(AttestationError::NotYetValid);
	}
	if now >= next_update {
		return Err(AttestationError::Expired);
	}
	Ok(VerifiedAmdCrl {
		issuer: x509::name_hash(&tbs.issuer).map_err(|_| CRL)?,
		ark_hash,
		this_update,
		next_update,
		revoked,
	})
}

/// The issuer-name hash and serial number of a certificate (DER), as a CRL names it: for an
/// SEV-SNP chain's ASK, what [`VerifiedAmdCrl::revokes`] takes.
pub fn revocation_id(cert: &[u8]) -> Result<([u8; 32], Serial), AttestationError> {
	let cert = Cert::parse(cert)?;
	let serial = Serial::try_from(cert.serial().to_vec())
		.map_err(|_| AttestationError::Parse(ParseRegion::Certificate))?;
	Ok((x509::name_hash(cert.issuer())?, serial))
}
