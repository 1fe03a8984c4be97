//! Types shared by every evidence kind.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

use crate::{EvidenceKind, Workload, WorkloadRule};

/// TCB status as the vendor's collateral classifies the platform.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum TcbStatus {
	/// Fully patched.
	UpToDate,
	/// Patched, software hardening needed.
	SwHardeningNeeded,
	/// Configuration needed.
	ConfigurationNeeded,
	/// Configuration and software hardening needed.
	ConfigurationAndSwHardeningNeeded,
	/// Out of date.
	OutOfDate,
	/// Out of date and configuration needed.
	OutOfDateConfigurationNeeded,
	/// Revoked by the vendor.
	Revoked,
	/// The kind has no TCB status of its own (CCA, quantum) or the reported TCB meets the
	/// policy's minimum (SEV-SNP).
	NotApplicable,
}

impl TcbStatus {
	fn bit(self) -> u8 {
		match self {
			Self::UpToDate => 1 << 0,
			Self::SwHardeningNeeded => 1 << 1,
			Self::ConfigurationNeeded => 1 << 2,
			Self::ConfigurationAndSwHardeningNeeded => 1 << 3,
			Self::OutOfDate => 1 << 4,
			Self::OutOfDateConfigurationNeeded => 1 << 5,
			Self::Revoked => 1 << 6,
			Self::NotApplicable => 1 << 7,
		}
	}
}

/// A set of accepted TCB statuses.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct TcbStatusSet(pub u8);

impl TcbStatusSet {
	/// The default: `UpToDate`, plus `NotApplicable` for kinds without a TCB status.
	pub const DEFAULT: Self = Self((1 << 0) | (1 << 7));
	/// Whether `s` is in the set.
	pub fn contains(self, s: TcbStatus) -> bool {
		self.0 & s.bit() != 0
	}
	/// The set with `s` added.
	pub fn with(self, s: TcbStatus) -> Self {
		Self(self.0 | s.bit())
	}
}

impl Default for TcbStatusSet {
	fn default() -> Self {
		Self::DEFAULT
	}
}

/// The network's attestation policy, as governance sets it.
///
/// `Policy::default()` checks the vendor chain, the TCB (`UpToDate`), debug and the binding,
/// and admits any workload: the lower-level API's default, for tools that check vendor
/// evidence. A chain's stored policy never defaults to it: there an empty allowlist admits no
/// TEE workload unless `any_workload` is set, which only development presets do.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Policy {
	/// The runner images accepted ([`WorkloadRule`]s); evidence whose [`Workload`] none of
	/// them admits is refused with [`AttestationError::Measurement`], unless `any_workload`.
	pub workloads: Vec<WorkloadRule>,
	/// Admit every TEE workload, whatever `workloads` says (development chains only).
	pub any_workload: bool,
	/// Accepted TCB statuses (default: `UpToDate` only).
	pub accepted_tcb: TcbStatusSet,
	/// Whether debug-mode enclaves/guests are accepted (default: no).
	pub allow_debug: bool,
	/// Oldest evidence accepted, in seconds before `now`, where the evidence is timestamped.
	/// 0: no limit.
	pub max_age_secs: u64,
	/// SEV-SNP guest policy bits that must be set.
	pub sev_required_policy_bits: u64,
	/// SEV-SNP guest policy bits that must be clear (for example `MIGRATE_MA`, bit 18: a
	/// migration agent could move the guest's memory out).
	pub sev_forbidden_policy_bits: u64,
	/// SEV-SNP minimum reported TCB (bootloader, tee, snp, microcode), each component compared.
	pub sev_min_tcb: [u8; 4],
	/// Trap families the network accepts for quantum providers; a facility certificate must
	/// support at least one of them. Empty: none required.
	pub quantum_trap_families: Vec<Vec<u8>>,
}

impl Default for Policy {
	fn default() -> Self {
		Self {
			workloads: Vec::new(),
			any_workload: true,
			accepted_tcb: TcbStatusSet::DEFAULT,
			allow_debug: false,
			max_age_secs: 0,
			sev_required_policy_bits: 0,
			sev_forbidden_policy_bits: 0,
			sev_min_tcb: [0; 4],
			quantum_trap_families: Vec::new(),
		}
	}
}

/// What a successful verification establishes.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Verified {
	/// The evidence kind.
	pub kind: EvidenceKind,
	/// The attested measurement, zero-padded to 48 bytes: MRENCLAVE, MRTD, the SEV-SNP launch
	/// digest, the CCA RIM, or the quantum leaf key's SHA-384.
	pub measurement: [u8; 48],
	/// Every workload register the evidence reports, which the policy's allowlist judges.
	pub workload: Workload,
	/// The evidence's report data (64 bytes for SGX/TDX/SEV-SNP; CCA challenge; the quantum
	/// certificate's binding extension), zero-padded.
	pub report_data: [u8; 64],
	/// TCB status.
	pub tcb_status: TcbStatus,
	/// Whether the attested software runs in debug mode.
	pub debug: bool,
	/// When the evidence or its collateral was issued, Unix seconds, if it says.
	pub issued_at: Option<u64>,
	/// The earliest expiry over the evidence, its certificate chain and its collateral, Unix
	/// seconds: the attestation stops counting then.
	pub not_after: u64,
	/// Trap families a quantum facility supports (empty for TEEs).
	pub trap_families: Vec<Vec<u8>>,
	/// SHA-256 fingerprints (of the DER) of the certificates the evidence chains through
	/// below the pinned root, leaf first: what a revocation names. Quantum facility chains;
	/// empty for the other kinds, whose revocation the vendor collateral carries.
	pub chain_fingerprints: Vec<[u8; 32]>,
}

/// Region of the evidence that failed to parse.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ParseRegion {
	/// Quote/report/token header.
	Header,
	/// Report body (enclave/TD/guest report).
	Body,
	/// Signature data / COSE signature.
	Signature,
	/// Embedded or supplied certificate chain.
	Certificate,
	/// Collateral (TCB info, QE identity, CRL).
	Collateral,
	/// Claims (CCA) or extensions (quantum).
	Claims,
}

/// Why evidence was rejected. One variant per cause, so callers can report it precisely.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum AttestationError {
	/// The evidence or collateral is malformed in the given region.
	Parse(ParseRegion),
	/// The evidence is not of a version or type this verifier accepts.
	Unsupported,
	/// The certificate chain does not lead to a pinned root.
	Chain,
	/// A signature (certificate, collateral, report or token) does not verify.
	Signature,
	/// A certificate or collateral is past its validity at `now`.
	Expired,
	/// A certificate or collateral is not yet valid at `now`.
	NotYetValid,
	/// A certificate in the chain is on a revocation list.
	Revoked,
	/// The platform's TCB status is not accepted by the policy.
	TcbStatus(TcbStatus),
	/// The measurement is not in the policy's allowlist.
	Measurement,
	/// A required policy bit is missing (SEV-SNP guest policy, CCA/quantum policy).
	PolicyBit,
	/// Debug mode, refused by the policy.
	Debug,
	/// The report data does not bind the expected provider.
	ReportDataBinding,
	/// The evidence is older than the policy's maximum age.
	TooOld,
	/// Collateral does not match the evidence (wrong FMSPC, QE identity, missing CRL).
	CollateralMismatch,
	/// A quantum facility supports none of the trap families the network accepts.
	TrapFamily,
	/// CCA: the platform token's signature does not verify under the key of the pinned
	/// anchor its instance ID names.
	PlatformSignature,
	/// CCA: the realm token's signature does not verify under the realm's own key (RAK).
	RealmSignature,
	/// CCA: the platform token does not vouch for the realm (its challenge is not the hash of
	/// the realm's key).
	RealmNotBound,
}
