//! The development quantum facility: a well-known P-384 key (public knowledge, like
//! `//Alice`) and its self-signed root certificate. Development chain presets pin this root,
//! so identity certificates for any provider can be issued on a development chain (for example
//! with `aicf attest dev-quantum-cert`), and a provider can reach ACTIVE there without quantum
//! hardware. **Never pin this root on a network that holds value.**
//!
//! Everything here is deterministic (fixed key, names, serial numbers and validity; RFC 6979
//! signatures), so [`root_der`] always returns the same bytes.
//!
//! [`cca`] and [`amd`] do the same for an Arm CCA platform and an AMD root (ARK) and its
//! CRLs.

use alloc::{string::String, vec::Vec};
use core::{str::FromStr, time::Duration};
use der::{asn1::OctetString, DateTime, Encode};
use p384::ecdsa::{DerSignature, SigningKey};
use x509_cert::{
	builder::{profile::BuilderProfile, Builder, CertificateBuilder},
	certificate::TbsCertificate,
	ext::{
		pkix::{BasicConstraints, KeyUsage, KeyUsages},
		Extension, ToExtension,
	},
	name::Name,
	serial_number::SerialNumber,
	spki::{SubjectPublicKeyInfo, SubjectPublicKeyInfoRef},
	time::{Time, Validity},
};

pub mod amd;
pub mod cca;

use crate::quantum::{FacilityIdentity, FACILITY_IDENTITY_OID, FACILITY_IDENTITY_VERSION};

/// The facility's private key scalar (48 bytes, public knowledge).
pub const DEV_FACILITY_KEY: [u8; 48] = *b"AICF development quantum facility key, public!!!";
/// Subject of the development root.
pub const DEV_ROOT_SUBJECT: &str = "CN=AICF development quantum facility root,O=AICF development";
/// Root validity start: 2025-01-01T00:00:00Z.
pub const DEV_ROOT_NOT_BEFORE: u64 = 1_735_689_600;
/// Root validity end: 2050-01-01T00:00:00Z.
pub const DEV_ROOT_NOT_AFTER: u64 = 2_524_608_000;

/// Why a certificate could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError(pub String);

fn err(e: impl core::fmt::Display) -> BuildError {
	BuildError(alloc::format!("{e}"))
}

struct Profile {
	subject: Name,
	issuer: Name,
	ca: bool,
	extra: Vec<Extension>,
}

impl BuilderProfile for Profile {
	fn get_issuer(&self, _subject: &Name) -> Name {
		self.issuer.clone()
	}
	fn get_subject(&self) -> Name {
		self.subject.clone()
	}
	fn build_extensions(
		&self,
		_spk: SubjectPublicKeyInfoRef<'_>,
		_issuer_spk: SubjectPublicKeyInfoRef<'_>,
		tbs: &TbsCertificate,
	) -> x509_cert::builder::Result<Vec<Extension>> {
		let mut out = Vec::new();
		if self.ca {
			out.push(
				BasicConstraints { ca: true, path_len_constraint: None }
					.to_extension(tbs.subject(), &out)?,
			);
			out.push(
				KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign)
					.to_extension(tbs.subject(), &out)?,
			);
		}
		out.extend(self.extra.iter().cloned());
		Ok(out)
	}
}

fn time(secs: u64) -> Result<Time, BuildError> {
	Ok(Time::from(DateTime::from_unix_duration(Duration::from_secs(secs)).map_err(err)?))
}

fn facility_key() -> Result<SigningKey, BuildError> {
	SigningKey::from_slice(&DEV_FACILITY_KEY).map_err(err)
}

fn build(
	profile: Profile,
	serial: u32,
	not_before: u64,
	not_after: u64,
	subject_key: &SigningKey,
	issuer_key: &SigningKey,
) -> Result<Vec<u8>, BuildError> {
	let spki = SubjectPublicKeyInfo::from_key(subject_key.verifying_key()).map_err(err)?;
	let validity = Validity::new(time(not_before)?, time(not_after)?);
	let builder = CertificateBuilder::new(profile, SerialNumber::from(serial), validity, spki)
		.map_err(err)?;
	let cert = builder.build::<_, DerSignature>(issuer_key).map_err(err)?;
	cert.to_der().map_err(err)
}

/// The development facility's root certificate, DER (self-signed, P-384).
pub fn root_der() -> Result<Vec<u8>, BuildError> {
	let name = Name::from_str(DEV_ROOT_SUBJECT).map_err(err)?;
	let profile = Profile { subject: name.clone(), issuer: name, ca: true, extra: Vec::new() };
	let key = facility_key()?;
	build(profile, 1, DEV_ROOT_NOT_BEFORE, DEV_ROOT_NOT_AFTER, &key, &key)
}

/// An identity certificate issued by the development root carrying `binding` (on chain
/// [`crate::attestation_binding`] of the provider id, a recent block hash and the registry
/// key hash), supporting `trap_families`, valid from
/// `not_before` to `not_after` (Unix seconds). The leaf's own key is derived from the binding.
/// Submit it followed by [`root_der`] or alone.
pub fn issue(
	binding: [u8; 32],
	facility_name: &str,
	trap_families: &[&str],
	not_before: u64,
	not_after: u64,
) -> Result<Vec<u8>, BuildError> {
	let chain = issue_chain(binding, facility_name, trap_families, not_before, not_after, 0)?;
	chain.into_iter().next().ok_or_else(|| err("no leaf"))
}

/// Like [`issue`], through `intermediates` intermediate CAs below the development root: the
/// chain leaf first, then each intermediate up to the one the root signed (submit them
/// concatenated). Intermediate `i` (0 just above the leaf) has a well-known key of its own and
/// the subject `CN=AICF development facility intermediate <i>`.
pub fn issue_chain(
	binding: [u8; 32],
	facility_name: &str,
	trap_families: &[&str],
	not_before: u64,
	not_after: u64,
	intermediates: usize,
) -> Result<Vec<Vec<u8>>, BuildError> {
	let identity = FacilityIdentity {
		version: FACILITY_IDENTITY_VERSION,
		facility_name: facility_name.into(),
		trap_families: trap_families.iter().map(|f| String::from(*f)).collect(),
		binding: OctetString::new(binding.to_vec()).map_err(err)?,
	};
	let ext = Extension {
		extn_id: FACILITY_IDENTITY_OID,
		critical: false,
		extn_value: OctetString::new(identity.to_der().map_err(err)?).map_err(err)?,
	};
	// The leaf key: a scalar derived from the binding (any valid P-384 scalar will do; the
	// leaf key signs nothing).
	let mut scalar = [0x11u8; 48];
	if let Some(head) = scalar.get_mut(..32) {
		head.copy_from_slice(&binding);
	}
	if let Some(first) = scalar.first_mut() {
		*first = 0x42;
	}
	let leaf_key = SigningKey::from_slice(&scalar).map_err(err)?;
	let subject = Name::from_str(&alloc::format!(
		"CN=AICF provider {},O=AICF development",
		hex::encode(&binding[..8])
	))
	.map_err(err)?;
	let intermediate_name = |i: usize| {
		Name::from_str(&alloc::format!(
			"CN=AICF development facility intermediate {i},O=AICF development"
		))
		.map_err(err)
	};
	let intermediate_key = |i: usize| {
		let byte = u8::try_from(i).map_err(err)?.wrapping_add(0x51);
		SigningKey::from_slice(&[byte; 48]).map_err(err)
	};
	let root_name = Name::from_str(DEV_ROOT_SUBJECT).map_err(err)?;
	let issuer_of = |i: usize| -> Result<(Name, SigningKey), BuildError> {
		if i < intermediates {
			Ok((intermediate_name(i)?, intermediate_key(i)?))
		} else {
			Ok((root_name.clone(), facility_key()?))
		}
	};
	let mut chain = Vec::with_capacity(intermediates.saturating_add(1));
	let (issuer, issuer_key) = issuer_of(0)?;
	let profile = Profile { subject, issuer, ca: false, extra: alloc::vec![ext] };
	chain.push(build(profile, 2, not_before, not_after, &leaf_key, &issuer_key)?);
	for i in 0..intermediates {
		let (issuer, issuer_key) = issuer_of(i.saturating_add(1))?;
		let profile =
			Profile { subject: intermediate_name(i)?, issuer, ca: true, extra: Vec::new() };
		let serial = u32::try_from(i).map_err(err)?.saturating_add(10);
		chain.push(build(
			profile,
			serial,
			not_before,
			not_after,
			&intermediate_key(i)?,
			&issuer_key,
		)?);
	}
	Ok(chain)
}
