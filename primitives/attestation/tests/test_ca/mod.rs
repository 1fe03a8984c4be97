//! A throw-away P-384 certificate authority for tests: deterministic keys, certificates with
//! chosen names, validity, CA flag and extra extensions.

#![allow(dead_code)]

use std::{str::FromStr, time::Duration};

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

/// 2024-01-01T00:00:00Z.
pub const T2024: u64 = 1_704_067_200;
/// 2026-01-01T00:00:00Z.
pub const T2026: u64 = 1_767_225_600;
/// 2030-01-01T00:00:00Z.
pub const T2030: u64 = 1_893_456_000;
/// 2040-01-01T00:00:00Z.
pub const T2040: u64 = 2_208_988_800;

/// A deterministic P-384 key (`seed` must be nonzero).
pub fn key(seed: u8) -> SigningKey {
	SigningKey::from_slice(&[seed; 48]).unwrap()
}

/// `CN=<cn>`.
pub fn name(cn: &str) -> Name {
	Name::from_str(&format!("CN={cn},O=AICF test")).unwrap()
}

/// An extension with a raw value.
pub fn ext(oid: &str, critical: bool, value: Vec<u8>) -> Extension {
	Extension {
		extn_id: der::oid::ObjectIdentifier::new(oid).unwrap(),
		critical,
		extn_value: OctetString::new(value).unwrap(),
	}
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

fn time(secs: u64) -> Time {
	Time::from(DateTime::from_unix_duration(Duration::from_secs(secs)).unwrap())
}

/// What a certificate should say.
pub struct CertSpec<'a> {
	/// Subject name.
	pub subject: Name,
	/// Subject key.
	pub subject_key: &'a SigningKey,
	/// Issuer name.
	pub issuer: Name,
	/// Issuer's signing key.
	pub issuer_key: &'a SigningKey,
	/// Whether the certificate is a CA.
	pub ca: bool,
	/// Validity.
	pub not_before: u64,
	/// Validity.
	pub not_after: u64,
	/// Extensions beyond basic constraints / key usage.
	pub extra: Vec<Extension>,
}

/// Builds and signs a DER certificate.
pub fn cert(spec: CertSpec<'_>) -> Vec<u8> {
	let profile =
		Profile { subject: spec.subject, issuer: spec.issuer, ca: spec.ca, extra: spec.extra };
	let spki = SubjectPublicKeyInfo::from_key(spec.subject_key.verifying_key()).unwrap();
	let validity = Validity::new(time(spec.not_before), time(spec.not_after));
	let builder =
		CertificateBuilder::new(profile, SerialNumber::from(7u32), validity, spki).unwrap();
	let cert = builder.build::<_, DerSignature>(spec.issuer_key).unwrap();
	cert.to_der().unwrap()
}

/// A self-signed CA certificate.
pub fn root(cn: &str, key: &SigningKey, not_before: u64, not_after: u64) -> Vec<u8> {
	cert(CertSpec {
		subject: name(cn),
		subject_key: key,
		issuer: name(cn),
		issuer_key: key,
		ca: true,
		not_before,
		not_after,
		extra: Vec::new(),
	})
}
