//! Verification of attestation evidence: pure functions, no storage, no FRAME.
//!
//! Every entry point takes the evidence, the pinned roots it must chain to, any collateral,
//! the network [`Policy`] and the current time (`now`, Unix seconds) explicitly, and returns
//! either a [`Verified`] summary or a typed [`AttestationError`]. Nothing here panics on any
//! input: malformed bytes of any length give [`AttestationError::Parse`].
//!
//! Evidence kinds:
//! - Intel SGX and TDX DCAP quotes ([`dcap`]);
//! - AMD SEV-SNP reports, ARK → ASK → VCEK ([`sev_snp`]), and AMD's CRLs ([`amd_crl`]);
//! - Arm CCA tokens, COSE_Sign1 platform and realm tokens ([`cca`]);
//! - quantum facility identity certificates, X.509 to a pinned facility root ([`quantum`]).
//!
//! Binding: every kind carries report data chosen by the attested software. The caller passes
//! the bytes it must start with ([`check_binding`]): on chain [`attestation_binding`] of the
//! provider id, a recent block hash and the registry key hash, so evidence made for one
//! provider, moment or key cannot be replayed for another; [`provider_binding`] binds the id
//! alone, for tests and fixtures.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod amd_crl;
pub mod cca;
pub mod dcap;
#[cfg(feature = "dev-facility")]
pub mod dev_facility;
pub mod quantum;
pub mod sev_snp;
pub mod sig;
mod types;
mod workload;
pub(crate) mod x509;

pub use aicf_primitives::traits::EvidenceKind;
pub use types::*;
pub use workload::*;

/// Checks a certificate (DER) to be pinned as an AMD ARK or a quantum facility root: one
/// certificate, self-issued, a CA, self-signed (RSASSA-PSS-4096 or ECDSA P-384, SHA-384). The
/// verifiers trust their pinned roots as given and do not repeat this per chain.
pub fn check_root(certificate: &[u8]) -> Result<(), AttestationError> {
	let root = x509::Cert::parse(certificate)?;
	if !root.issued_by_name(&root) {
		return Err(AttestationError::Chain);
	}
	root.check_ca()?;
	root.verify_signed_by(&root)
}

/// SHA-256 of a certificate's subject name (DER): pinned roots that chains find by name
/// must differ in it.
pub fn subject_hash(certificate: &[u8]) -> Result<[u8; 32], AttestationError> {
	Ok(name_hashes(certificate)?.0)
}

/// SHA-256 of a certificate's subject and issuer names (DER), in that order: a chain's top
/// certificate names its root by the issuer (a self-issued top is the root itself).
pub fn name_hashes(certificate: &[u8]) -> Result<([u8; 32], [u8; 32]), AttestationError> {
	let cert = x509::Cert::parse(certificate)?;
	Ok((x509::name_hash(cert.subject())?, x509::name_hash(cert.issuer())?))
}

/// SHA3-256 of the evidence bytes: the hash the registry records.
pub fn evidence_hash(evidence: &[u8]) -> [u8; 32] {
	use sha3::Digest;
	sha3::Sha3_256::digest(evidence).into()
}

/// The report-data prefix a provider's evidence must carry: SHA3-256 of
/// `"aicf-attest/v1" || provider_id`. TEE software puts these 32 bytes at the start of its
/// report data (SGX/TDX `report_data`, SEV-SNP `REPORT_DATA`, CCA realm challenge); a quantum
/// identity certificate carries them in its binding extension.
pub fn provider_binding(provider_id: &[u8]) -> [u8; 32] {
	use sha3::Digest;
	let mut h = sha3::Sha3_256::new();
	h.update(b"aicf-attest/v1");
	h.update(provider_id);
	h.finalize().into()
}

/// The report-data prefix fresh evidence must carry on chain: SHA3-256 of
/// `"aicf-attest/v2" || provider_id (12 bytes) || challenge (32 bytes) || key_hash (32 bytes)`,
/// where `challenge` is the hash of a recent block of the chain (the submission names its
/// number) and `key_hash` the [`aicf_primitives::id::KeyHash`] of the provider's current
/// registry key. Evidence made for one provider, one registry key or one moment cannot be
/// used for another provider, after a key rotation, or once the challenge block is older
/// than the chain's window. `docs/payloads.md` has golden vectors.
///
/// [`provider_binding`] stays the binding of the lower-level verifier API, for evidence whose
/// report data others fixed (the vendor fixtures).
pub fn attestation_binding(
	provider_id: &[u8; 12],
	challenge: &[u8; 32],
	key_hash: &[u8; 32],
) -> [u8; 32] {
	use sha3::Digest;
	let mut h = sha3::Sha3_256::new();
	h.update(b"aicf-attest/v2");
	h.update(provider_id);
	h.update(challenge);
	h.update(key_hash);
	h.finalize().into()
}

/// The workload registers `evidence` of `kind` reports, read without verifying anything:
/// what an operator pins for their own runner image (`aicf attest workload`). A quantum
/// certificate has none ([`Workload::None`]). Never a substitute for verification.
pub fn workload_of(kind: EvidenceKind, evidence: &[u8]) -> Result<Workload, AttestationError> {
	match kind {
		EvidenceKind::SgxDcap | EvidenceKind::TdxDcap => {
			let w = dcap::workload_of(evidence)?;
			let expected = matches!(
				(kind, w),
				(EvidenceKind::SgxDcap, Workload::Sgx(_))
					| (EvidenceKind::TdxDcap, Workload::Tdx(_))
			);
			if expected {
				Ok(w)
			} else {
				Err(AttestationError::Unsupported)
			}
		},
		EvidenceKind::SevSnp => {
			let (report, _, _) = split_sev_snp_bundle(evidence)?;
			Ok(sev_snp::Report::parse(report)?.workload())
		},
		EvidenceKind::Cca => cca::workload_of(evidence),
		EvidenceKind::Quantum => {
			x509::Cert::parse(
				split_der(evidence)?
					.first()
					.ok_or(AttestationError::Parse(ParseRegion::Certificate))?,
			)?;
			Ok(Workload::None)
		},
	}
}

/// Checks that `report_data` starts with `expected`. An empty `expected` is refused: a
/// caller must always bind evidence to someone.
pub fn check_binding(report_data: &[u8], expected: &[u8]) -> Result<(), AttestationError> {
	if expected.is_empty() {
		return Err(AttestationError::ReportDataBinding);
	}
	match report_data.get(..expected.len()) {
		Some(prefix) if prefix == expected => Ok(()),
		_ => Err(AttestationError::ReportDataBinding),
	}
}

/// Applies the parts of [`Policy`] shared by every kind to a verified summary: workload
/// allowlist, TCB status, debug and age. Kind-specific checks (policy bits, trap families)
/// are done by the kind's module before this.
pub fn apply_common_policy(
	v: &Verified,
	policy: &Policy,
	now: u64,
) -> Result<(), AttestationError> {
	if v.debug && !policy.allow_debug {
		return Err(AttestationError::Debug);
	}
	if !policy.accepted_tcb.contains(v.tcb_status) {
		return Err(AttestationError::TcbStatus(v.tcb_status));
	}
	if !policy.admits_workload(&v.workload) {
		return Err(AttestationError::Measurement);
	}
	if let Some(issued) = v.issued_at {
		if policy.max_age_secs != 0 && now.saturating_sub(issued) > policy.max_age_secs {
			return Err(AttestationError::TooOld);
		}
	}
	Ok(())
}

/// Checks that `now` lies in the window from `from` through `until`, both ends included:
/// [`AttestationError::NotYetValid`] before it, [`AttestationError::Expired`] after it. The one
/// rule for certificate validity, signed collateral (`issueDate` through `nextUpdate`) and
/// stored collateral.
pub(crate) fn check_window(from: u64, until: u64, now: u64) -> Result<(), AttestationError> {
	if now < from {
		return Err(AttestationError::NotYetValid);
	}
	if now > until {
		return Err(AttestationError::Expired);
	}
	Ok(())
}

/// Splits concatenated DER values (for example certificates, leaf first) into their
/// encodings. Empty input gives an empty list; trailing or truncated bytes are a
/// [`ParseRegion::Certificate`] error.
pub fn split_der(bytes: &[u8]) -> Result<alloc::vec::Vec<&[u8]>, AttestationError> {
	use der::{Decode, Encode, Header, SliceReader};
	let bad = AttestationError::Parse(ParseRegion::Certificate);
	let mut out = alloc::vec::Vec::new();
	let mut rest = bytes;
	while !rest.is_empty() {
		let mut reader = SliceReader::new(rest).map_err(|_| bad.clone())?;
		let header = Header::decode(&mut reader).map_err(|_| bad.clone())?;
		let head_len = header.encoded_len().map_err(|_| bad.clone())?;
		let total = core::ops::Add::add(head_len, header.length()).map_err(|_| bad.clone())?;
		let len = usize::try_from(total).map_err(|_| bad.clone())?;
		let (one, tail) = rest.split_at_checked(len).ok_or(bad.clone())?;
		out.push(one);
		rest = tail;
	}
	Ok(out)
}

/// SEV-SNP evidence split into its parts: `(report, vcek, ask)`.
pub type SevSnpBundle<'a> = (&'a [u8], &'a [u8], &'a [u8]);

/// SEV-SNP evidence as one byte string: the 1184-byte report ([`sev_snp::REPORT_LEN`]), then
/// the VCEK (or VLEK) certificate, then the ASK (or ASVK) certificate, both DER
/// (`cat report.bin vcek.der ask.der`). Returns `(report, vcek, ask)`.
pub fn split_sev_snp_bundle(bytes: &[u8]) -> Result<SevSnpBundle<'_>, AttestationError> {
	let (report, certs) = bytes
		.split_at_checked(sev_snp::REPORT_LEN)
		.ok_or(AttestationError::Parse(ParseRegion::Header))?;
	match split_der(certs)?.as_slice() {
		[vcek, ask] => Ok((report, vcek, ask)),
		_ => Err(AttestationError::Parse(ParseRegion::Certificate)),
	}
}

/// DER bytes from a PEM block (`-----BEGIN …`) or from DER given as is; for pinned roots,
/// which governance may paste in either form.
pub fn to_der(bytes: &[u8]) -> Result<alloc::vec::Vec<u8>, AttestationError> {
	if bytes.starts_with(b"-----BEGIN") {
		pem_rfc7468::decode_vec(bytes)
			.map(|(_, der)| der)
			.map_err(|_| AttestationError::Parse(ParseRegion::Certificate))
	} else {
		Ok(bytes.to_vec())
	}
}
