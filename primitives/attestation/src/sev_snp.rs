//! AMD SEV-SNP attestation reports.
//!
//! A guest asks its AMD Secure Processor for an `ATTESTATION_REPORT` (SEV-SNP ABI
//! specification, 1184 bytes) carrying 64 bytes of `REPORT_DATA` it chooses. The report is
//! signed with ECDSA P-384/SHA-384 by the chip's VCEK (or, in cloud deployments, a VLEK);
//! AMD's Key Distribution Service certifies that key with an ASK (ASVK for VLEKs), which its
//! ARK — the root for a processor generation (Milan, Genoa, Turin) — certifies. The ARK and ASK
//! are RSA-4096 keys and every certificate signature is RSASSA-PSS with SHA-384, MGF1-SHA-384
//! and a 48-byte salt. (Links signed with ECDSA P-384/SHA-384 are accepted as well: trust comes
//! from the pinned root, and test chains use them.)
//!
//! [`verify`] checks, in order:
//! 1. sizes and layout: the report is exactly [`REPORT_LEN`] bytes, certificates at most
//!    [`MAX_CERT_LEN`] bytes ([`AttestationError::Parse`]); the report's version is
//!    2 or 3 and its signature algorithm ECDSA P-384/SHA-384 ([`AttestationError::Unsupported`]);
//! 2. the chain: some pinned ARK (the pinned DER itself: an ARK is never taken from the
//!    evidence; a self-issued CA, trusted as pinned — its self-signature is checked once, when
//!    pinned, by [`crate::check_root`]) is the ASK's issuer and signs it, the ASK is a CA and signs the VCEK ([`AttestationError::Chain`] when no pinned
//!    root is the issuer or names do not link, [`AttestationError::Signature`] when a
//!    signature does not verify);
//! 3. every certificate's validity at `now` ([`AttestationError::Expired`],
//!    [`AttestationError::NotYetValid`]);
//! 4. the report signature over bytes `0x000..0x2A0` with the VCEK's key
//!    ([`AttestationError::Signature`]);
//! 5. the VCEK describes this report: its TCB extensions (`blSPL`, `teeSPL`, `snpSPL`,
//!    `ucodeSPL`, and `fmcSPL` on Turin) equal `REPORTED_TCB`, and for a VCEK-signed report
//!    its `hwID` extension is the report's `CHIP_ID` unless the guest masked the chip id
//!    ([`AttestationError::CollateralMismatch`]);
//! 6. `REPORT_DATA` binds the provider ([`crate::check_binding`]);
//! 7. every bit of [`Policy::sev_required_policy_bits`] is set in the guest policy
//!    ([`AttestationError::PolicyBit`]);
//! 8. `REPORTED_TCB` meets [`Policy::sev_min_tcb`] component by component — bootloader, TEE,
//!    SNP firmware, microcode: [`TcbStatus::NotApplicable`] when it does, [`TcbStatus::OutOfDate`]
//!    when any component is lower — then the common policy ([`crate::apply_common_policy`]):
//!    debug (guest policy bit 19) refused unless allowed, TCB status accepted, measurement
//!    allowlisted.
//!
//! `VMPL`, `HOST_DATA`, `ID_KEY_DIGEST`, `GUEST_SVN` and the platform info flags are not
//! checked: the network's policy has no field for them yet.
//!
//! A report carries no timestamp: [`Verified::issued_at`] is `None`, and
//! [`Verified::not_after`] is the earliest `notAfter` of the VCEK, ASK and ARK. (A VCEK is
//! issued for one TCB version; a firmware update moves the platform to a new VCEK, which the
//! TCB-match check above enforces.)
//!
//! Reported TCB layout (`TCB_VERSION`, 8 bytes): for Milan and Genoa (CPUID family 0x19, and
//! every version 2 report) byte 0 is the bootloader SVN, 1 the TEE SVN, 6 the SNP firmware SVN
//! and 7 the microcode SVN. For Turin (family 0x1A, named in version 3 reports) byte 0 is the
//! FMC SVN, 1 bootloader, 2 TEE, 3 SNP and 7 microcode; the VCEK's `fmcSPL` must match too.

use crate::x509::{self, find_root, Cert};
use crate::{
	apply_common_policy, check_binding, AttestationError, EvidenceKind, ParseRegion, Policy,
	SevSnpWorkload, TcbStatus, Verified, Workload,
};
use const_oid::ObjectIdentifier;
use der::Decode as _;

/// Largest certificate accepted, DER bytes.
pub const MAX_CERT_LEN: usize = x509::MAX_CERT_LEN;
/// Size of an SEV-SNP `ATTESTATION_REPORT`, bytes.
pub const REPORT_LEN: usize = 0x4A0;
/// End of the signed part of the report: the signature covers bytes `0..SIGNED_LEN`.
pub const SIGNED_LEN: usize = 0x2A0;
/// Guest policy bit: debugging the guest is allowed.
pub const POLICY_DEBUG: u64 = 1 << 19;
/// Guest policy bit: simultaneous multithreading allowed.
pub const POLICY_SMT: u64 = 1 << 16;
/// Guest policy bit: association with a migration agent allowed.
pub const POLICY_MIGRATE_MA: u64 = 1 << 18;
/// Guest policy bit: the guest may only run on one socket.
pub const POLICY_SINGLE_SOCKET: u64 = 1 << 20;

const OFF_VERSION: usize = 0x00;
const OFF_POLICY: usize = 0x08;
const OFF_VMPL: usize = 0x30;
const OFF_SIG_ALGO: usize = 0x34;
const OFF_KEY_INFO: usize = 0x48;
const OFF_REPORT_DATA: usize = 0x50;
const OFF_MEASUREMENT: usize = 0x90;
const OFF_HOST_DATA: usize = 0xC0;
const OFF_REPORTED_TCB: usize = 0x180;
const OFF_CPUID_FAM: usize = 0x188;
const OFF_CHIP_ID: usize = 0x1A0;
const OFF_SIG_R: usize = 0x2A0;
const OFF_SIG_S: usize = 0x2E8;
/// Each of R and S occupies 72 bytes, little-endian, zero above the 48-byte scalar.
const SIG_COMPONENT_LEN: usize = 72;

/// `SIGNATURE_ALGO` value for ECDSA P-384 with SHA-384.
const SIG_ALGO_ECDSA_P384_SHA384: u32 = 1;
/// Key-info `SIGNING_KEY` values (bits 2..=4).
const SIGNING_KEY_VCEK: u32 = 0;
const SIGNING_KEY_VLEK: u32 = 1;
/// Key-info `MASK_CHIP_KEY` bit: `CHIP_ID` is zero.
const MASK_CHIP_KEY: u32 = 1 << 1;

const CPUID_FAMILY_MILAN_GENOA: u8 = 0x19;
const CPUID_FAMILY_TURIN: u8 = 0x1A;

const OID_BL_SPL: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.3704.1.3.1");
const OID_TEE_SPL: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.3704.1.3.2");
const OID_SNP_SPL: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.3704.1.3.3");
const OID_UCODE_SPL: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.3704.1.3.8");
const OID_FMC_SPL: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.3704.1.3.9");
const OID_HW_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.3704.1.4");

const HEADER: AttestationError = AttestationError::Parse(ParseRegion::Header);
const BODY: AttestationError = AttestationError::Parse(ParseRegion::Body);

/// The security patch levels of a `TCB_VERSION`, decoded for the processor generation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Tcb {
	/// Firmware (FMC) SVN; Turin only, 0 otherwise.
	pub fmc: u8,
	/// Bootloader SVN.
	pub bootloader: u8,
	/// PSP OS (TEE) SVN.
	pub tee: u8,
	/// SNP firmware SVN.
	pub snp: u8,
	/// Microcode patch level.
	pub microcode: u8,
}

impl Tcb {
	fn decode(raw: [u8; 8], turin: bool) -> Self {
		let [b0, b1, b2, b3, _, _, b6, b7] = raw;
		if turin {
			Self { fmc: b0, bootloader: b1, tee: b2, snp: b3, microcode: b7 }
		} else {
			Self { fmc: 0, bootloader: b0, tee: b1, snp: b6, microcode: b7 }
		}
	}

	/// Whether every component is at least `min` = `[bootloader, tee, snp, microcode]`.
	pub fn meets(&self, min: [u8; 4]) -> bool {
		let [bl, tee, snp, ucode] = min;
		self.bootloader >= bl && self.tee >= tee && self.snp >= snp && self.microcode >= ucode
	}
}

/// The fields of an attestation report this verifier uses.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Report {
	/// Report format version (2 or 3).
	pub version: u32,
	/// Guest policy.
	pub policy: u64,
	/// `REPORT_DATA`, chosen by the guest.
	pub report_data: [u8; 64],
	/// Launch measurement.
	pub measurement: [u8; 48],
	/// `HOST_DATA`, supplied by the host at launch.
	pub host_data: [u8; 32],
	/// The VMPL the report was requested from.
	pub vmpl: u32,
	/// `REPORTED_TCB`, the TCB the VCEK was derived for.
	pub reported_tcb: Tcb,
	/// Whether the processor is a Turin (TCB layout with an FMC component).
	pub turin: bool,
	/// Which key signed: VCEK (0) or VLEK (1).
	pub signing_key: u32,
	/// Whether `CHIP_ID` was masked (zeroed) by the guest's request.
	pub chip_id_masked: bool,
	/// `CHIP_ID`.
	pub chip_id: [u8; 64],
}

fn u32_at(b: &[u8], off: usize) -> Result<u32, AttestationError> {
	let bytes: [u8; 4] =
		b.get(off..off.saturating_add(4)).ok_or(HEADER)?.try_into().map_err(|_| HEADER)?;
	Ok(u32::from_le_bytes(bytes))
}

fn array_at<const N: usize>(b: &[u8], off: usize) -> Result<[u8; N], AttestationError> {
	b.get(off..off.saturating_add(N)).ok_or(BODY)?.try_into().map_err(|_| BODY)
}

impl Report {
	/// Decodes the unsigned fields of a report of exactly [`REPORT_LEN`] bytes.
	pub fn parse(report: &[u8]) -> Result<Self, AttestationError> {
		if report.len() != REPORT_LEN {
			return Err(HEADER);
		}
		let version = u32_at(report, OFF_VERSION)?;
		if !(2..=3).contains(&version) {
			return Err(AttestationError::Unsupported);
		}
		if u32_at(report, OFF_SIG_ALGO)? != SIG_ALGO_ECDSA_P384_SHA384 {
			return Err(AttestationError::Unsupported);
		}
		let key_info = u32_at(report, OFF_KEY_INFO)?;
		let signing_key = (key_info >> 2) & 0b111;
		if signing_key != SIGNING_KEY_VCEK && signing_key != SIGNING_KEY_VLEK {
			return Err(AttestationError::Unsupported);
		}
		let turin = if version >= 3 {
			match array_at::<1>(report, OFF_CPUID_FAM)? {
				[CPUID_FAMILY_MILAN_GENOA] => false,
				[CPUID_FAMILY_TURIN] => true,
				_ => return Err(AttestationError::Unsupported),
			}
		} else {
			false
		};
		Ok(Self {
			version,
			policy: u64::from_le_bytes(array_at(report, OFF_POLICY)?),
			report_data: array_at(report, OFF_REPORT_DATA)?,
			measurement: array_at(report, OFF_MEASUREMENT)?,
			host_data: array_at(report, OFF_HOST_DATA)?,
			vmpl: u32_at(report, OFF_VMPL)?,
			reported_tcb: Tcb::decode(array_at(report, OFF_REPORTED_TCB)?, turin),
			turin,
			signing_key,
			chip_id_masked: key_info & MASK_CHIP_KEY != 0,
			chip_id: array_at(report, OFF_CHIP_ID)?,
		})
	}

	/// The guest's workload registers.
	pub fn workload(&self) -> Workload {
		Workload::SevSnp(SevSnpWorkload {
			measurement: self.measurement,
			host_data: self.host_data,
			vmpl: self.vmpl,
		})
	}

	/// Whether the guest policy allows debugging.
	pub fn debug(&self) -> bool {
		self.policy & POLICY_DEBUG != 0
	}
}

/// Converts one 72-byte little-endian signature component into a big-endian P-384 scalar.
fn scalar_from_le(component: &[u8]) -> Result<[u8; 48], AttestationError> {
	let (low, high) = component.split_at_checked(48).ok_or(AttestationError::Signature)?;
	if high.iter().any(|b| *b != 0) {
		return Err(AttestationError::Signature);
	}
	let mut be: [u8; 48] = low.try_into().map_err(|_| AttestationError::Signature)?;
	be.reverse();
	Ok(be)
}

fn report_signature(report: &[u8]) -> Result<p384::ecdsa::Signature, AttestationError> {
	let r = report
		.get(OFF_SIG_R..OFF_SIG_R.saturating_add(SIG_COMPONENT_LEN))
		.ok_or(AttestationError::Parse(ParseRegion::Signature))?;
	let s = report
		.get(OFF_SIG_S..OFF_SIG_S.saturating_add(SIG_COMPONENT_LEN))
		.ok_or(AttestationError::Parse(ParseRegion::Signature))?;
	p384::ecdsa::Signature::from_scalars(scalar_from_le(r)?, scalar_from_le(s)?)
		.map_err(|_| AttestationError::Signature)
}

/// Reads one AMD SPL extension (a DER INTEGER in 0..=255).
fn spl(vcek: &Cert<'_>, oid: &ObjectIdentifier) -> Result<Option<u8>, AttestationError> {
	let Some(raw) = vcek.extension(oid)? else { return Ok(None) };
	let v = u32::from_der(raw).map_err(|_| AttestationError::Parse(ParseRegion::Certificate))?;
	u8::try_from(v).map(Some).map_err(|_| AttestationError::Parse(ParseRegion::Certificate))
}

/// Checks that the VCEK (or VLEK) was issued for this TCB and, for a VCEK, this chip.
fn check_vcek_matches(vcek: &Cert<'_>, report: &Report) -> Result<(), AttestationError> {
	let mismatch = AttestationError::CollateralMismatch;
	if report.signing_key == SIGNING_KEY_VCEK && !report.chip_id_masked {
		// Milan/Genoa hwIDs are the full 64-byte chip id; Turin's are its first 8 bytes, the
		// rest of CHIP_ID being zero. VLEKs are not tied to a chip and carry no hwID.
		let hw_id = vcek.extension(&OID_HW_ID)?.ok_or(mismatch.clone())?;
		let (head, tail) = report.chip_id.split_at_checked(hw_id.len()).ok_or(mismatch.clone())?;
		if hw_id.is_empty() || head != hw_id || tail.iter().any(|b| *b != 0) {
			return Err(mismatch);
		}
	}
	let tcb = &report.reported_tcb;
	let expect = [
		(OID_BL_SPL, tcb.bootloader),
		(OID_TEE_SPL, tcb.tee),
		(OID_SNP_SPL, tcb.snp),
		(OID_UCODE_SPL, tcb.microcode),
	];
	for (oid, value) in expect {
		if spl(vcek, &oid)? != Some(value) {
			return Err(mismatch);
		}
	}
	if report.turin && spl(vcek, &OID_FMC_SPL)? != Some(tcb.fmc) {
		return Err(mismatch);
	}
	Ok(())
}

/// Verifies an SEV-SNP attestation report.
///
/// - `report`: the 1184-byte `ATTESTATION_REPORT`;
/// - `vcek_der`: the DER VCEK (or VLEK) certificate that signed it;
/// - `ask_der`: the DER ASK (or ASVK) certificate that signed the VCEK;
/// - `pinned_arks`: DER ARK certificates the network trusts, each checked once by
///   [`crate::check_root`] when it was pinned (a verification trusts them as given); the ASK's
///   issuer must be one of them by name, and its signer;
/// - `binding`: the bytes `REPORT_DATA` must start with (see [`crate::check_binding`]);
/// - `now`: Unix seconds.
///
/// See the [module documentation](self) for the checks and their errors.
pub fn verify(
	report: &[u8],
	vcek_der: &[u8],
	ask_der: &[u8],
	pinned_arks: &[&[u8]],
	policy: &Policy,
	binding: &[u8],
	now: u64,
) -> Result<Verified, AttestationError> {
	let parsed = Report::parse(report)?;
	let vcek = Cert::parse(vcek_der)?;
	let ask = Cert::parse(ask_der)?;

	let ark = find_root(&ask, pinned_arks)?;
	ask.check_ca()?;
	if !vcek.issued_by_name(&ask) {
		return Err(AttestationError::Chain);
	}
	vcek.verify_signed_by(&ask)?;

	let not_after = ark.check_time(now)?.min(ask.check_time(now)?).min(vcek.check_time(now)?);

	let signed = report.get(..SIGNED_LEN).ok_or(HEADER)?;
	let sig = report_signature(report)?;
	if !crate::sig::p384_sha384(&vcek.p384_key()?, signed, &sig) {
		return Err(AttestationError::Signature);
	}

	check_vcek_matches(&vcek, &parsed)?;
	check_binding(&parsed.report_data, binding)?;
	let required = policy.sev_required_policy_bits;
	if parsed.policy & required != required || parsed.policy & policy.sev_forbidden_policy_bits != 0
	{
		return Err(AttestationError::PolicyBit);
	}
	// Only the guest's own report, requested from its most privileged level, speaks for it:
	// one requested from a lower VMPL (below a paravisor) or by the host (VMPL 0xFFFFFFFF,
	// host-chosen REPORT_DATA) is refused whatever the policy.
	if parsed.vmpl != 0 {
		return Err(AttestationError::PolicyBit);
	}
	let tcb_status = if parsed.reported_tcb.meets(policy.sev_min_tcb) {
		TcbStatus::NotApplicable
	} else {
		TcbStatus::OutOfDate
	};

	let verified = Verified {
		kind: EvidenceKind::SevSnp,
		measurement: parsed.measurement,
		workload: parsed.workload(),
		report_data: parsed.report_data,
		tcb_status,
		debug: parsed.debug(),
		issued_at: None,
		not_after,
		trap_families: alloc::vec::Vec::new(),
		chain_fingerprints: alloc::vec::Vec::new(),
	};
	apply_common_policy(&verified, policy, now)?;
	Ok(verified)
}
