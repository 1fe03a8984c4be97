//! A development AMD root: a well-known P-384 ARK key (public knowledge, like `//Alice`), its
//! self-signed ARK certificate, and a builder of the CRLs that ARK issues, so tests and
//! benchmarks can exercise `amd_crl` outcomes AMD's own keys cannot show (a revoked ASK, a
//! list of the largest size). AMD's ARKs sign with RSASSA-PSS; [`crate::amd_crl`] accepts
//! ECDSA P-384/SHA-384 as well, which this ARK uses. **Never pin this ARK on a network that
//! holds value.**

use alloc::vec::Vec;
use core::str::FromStr;
use der::Encode;
use p384::ecdsa::{signature::Signer as _, DerSignature, SigningKey};
use x509_cert::{
	crl::{CertificateList, RevokedCert, TbsCertList},
	ext::Extension,
	name::Name,
	serial_number::SerialNumber,
	spki::AlgorithmIdentifierOwned,
};

use super::{build, err, time, BuildError, Profile};

/// The development ARK's private scalar (48 bytes, public knowledge).
pub const DEV_ARK_KEY: [u8; 48] = *b"AICF development AMD root key (ARK), public!!!!!";
/// Subject of the development ARK.
pub const DEV_ARK_SUBJECT: &str = "CN=ARK-AICF-Development,O=AICF development";

/// The development ARK's signing key.
pub fn ark_key() -> Result<SigningKey, BuildError> {
	SigningKey::from_slice(&DEV_ARK_KEY).map_err(err)
}

/// The development ARK certificate, DER (self-signed, P-384, a CA, valid 2025–2050).
pub fn ark_der() -> Result<Vec<u8>, BuildError> {
	self_signed(DEV_ARK_SUBJECT, &ark_key()?)
}

/// A self-signed CA certificate for `subject` (a distinguished name such as `CN=…,O=…`)
/// under `key`, valid 2025–2050: a root of any name, for tests.
pub fn self_signed(subject: &str, key: &SigningKey) -> Result<Vec<u8>, BuildError> {
	let name = Name::from_str(subject).map_err(err)?;
	let profile = Profile { subject: name.clone(), issuer: name, ca: true, extra: Vec::new() };
	build(profile, 1, super::DEV_ROOT_NOT_BEFORE, super::DEV_ROOT_NOT_AFTER, key, key)
}

/// What a CRL says.
pub struct CrlSpec<'a> {
	/// Issuer name.
	pub issuer: Name,
	/// The key that signs it.
	pub issuer_key: &'a SigningKey,
	/// `thisUpdate`, Unix seconds.
	pub this_update: u64,
	/// `nextUpdate`, Unix seconds, if any.
	pub next_update: Option<u64>,
	/// Revoked serial numbers (big-endian, at most 20 bytes, top bit clear), each with its
	/// entry extensions.
	pub revoked: Vec<(Vec<u8>, Vec<Extension>)>,
	/// List extensions.
	pub extensions: Vec<Extension>,
}

/// `ecdsa-with-SHA384`.
pub fn ecdsa_sha384() -> AlgorithmIdentifierOwned {
	AlgorithmIdentifierOwned {
		oid: der::oid::ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3"),
		parameters: None,
	}
}

/// The `TBSCertList` `spec` describes, signature algorithm ECDSA P-384/SHA-384.
pub fn tbs_crl(spec: &CrlSpec<'_>) -> Result<TbsCertList, BuildError> {
	let mut revoked = Vec::with_capacity(spec.revoked.len());
	for (serial, exts) in &spec.revoked {
		revoked.push(RevokedCert {
			serial_number: SerialNumber::new(serial).map_err(err)?,
			revocation_date: time(spec.this_update)?,
			crl_entry_extensions: (!exts.is_empty()).then(|| exts.clone()),
		});
	}
	Ok(TbsCertList {
		version: x509_cert::certificate::Version::V2,
		signature: ecdsa_sha384(),
		issuer: spec.issuer.clone(),
		this_update: time(spec.this_update)?,
		next_update: spec.next_update.map(time).transpose()?,
		revoked_certificates: (!revoked.is_empty()).then_some(revoked),
		crl_extensions: (!spec.extensions.is_empty()).then(|| spec.extensions.clone()),
	})
}

/// Signs `tbs` with `key` (ECDSA P-384/SHA-384), naming `alg` as the outer algorithm, into a
/// DER CRL.
pub fn sign_crl(
	tbs: TbsCertList,
	alg: AlgorithmIdentifierOwned,
	key: &SigningKey,
) -> Result<Vec<u8>, BuildError> {
	let sig: DerSignature = key.sign(&tbs.to_der().map_err(err)?);
	CertificateList {
		tbs_cert_list: tbs,
		signature_algorithm: alg,
		signature: der::asn1::BitString::from_bytes(sig.as_bytes()).map_err(err)?,
	}
	.to_der()
	.map_err(err)
}

/// Builds and signs the CRL `spec` describes.
pub fn crl(spec: &CrlSpec<'_>) -> Result<Vec<u8>, BuildError> {
	sign_crl(tbs_crl(spec)?, ecdsa_sha384(), spec.issuer_key)
}

/// A CRL of the development ARK revoking `serials`, current from `this_update` to
/// `next_update`.
pub fn dev_crl(this_update: u64, next_update: u64, serials: &[u32]) -> Result<Vec<u8>, BuildError> {
	let key = ark_key()?;
	crl(&CrlSpec {
		issuer: Name::from_str(DEV_ARK_SUBJECT).map_err(err)?,
		issuer_key: &key,
		this_update,
		next_update: Some(next_update),
		revoked: serials.iter().map(|s| (s.to_be_bytes().to_vec(), Vec::new())).collect(),
		extensions: Vec::new(),
	})
}

/// The costliest CRL `crate::amd_crl::verify` accepts to read: the development ARK revoking
/// [`crate::amd_crl::MAX_REVOKED_SERIALS`] serials of 20 bytes, padded with a non-critical
/// list extension to within 64 bytes of [`crate::amd_crl::MAX_CRL_LEN`]; current from
/// `this_update` to `next_update`.
pub fn largest_crl(this_update: u64, next_update: u64) -> Result<Vec<u8>, BuildError> {
	let key = ark_key()?;
	let serial = |i: usize| {
		let mut s = [0x5Au8; 20];
		if let Some(tail) = s.get_mut(12..) {
			tail.copy_from_slice(&(i as u64).to_be_bytes());
		}
		s.to_vec()
	};
	let max = crate::amd_crl::MAX_REVOKED_SERIALS;
	let mut spec = CrlSpec {
		issuer: Name::from_str(DEV_ARK_SUBJECT).map_err(err)?,
		issuer_key: &key,
		this_update,
		next_update: Some(next_update),
		revoked: (0..max).map(|i| (serial(i), Vec::new())).collect(),
		extensions: Vec::new(),
	};
	let bare = crl(&spec)?.len();
	// A private, non-critical extension whose value fills the rest (its own header and the
	// list's longer length fields take a few bytes).
	let fill = crate::amd_crl::MAX_CRL_LEN.saturating_sub(bare).saturating_sub(64);
	spec.extensions = alloc::vec![Extension {
		extn_id: der::oid::ObjectIdentifier::new_unwrap("1.3.6.1.4.1.32473.9.9"),
		critical: false,
		extn_value: der::asn1::OctetString::new(alloc::vec![0u8; fill]).map_err(err)?,
	}];
	crl(&spec)
}
