//! Storage and call types of the attestation pallet.

use crate::Config;
use aicf_attestation_verify::{self as verify, TcbStatus, TcbStatusSet, Workload, WorkloadRule};
use aicf_primitives::{traits::EvidenceKind, types::Name};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::Get, DefaultNoBound};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;

/// Longest root input (PEM or DER) `add_root` takes; the stored DER is bounded by
/// `MaxRootLen`.
pub const MAX_ROOT_INPUT: u32 = 8 * 1024;

/// Longest AMD CRL `upload_amd_crl` takes, DER bytes.
pub const MAX_AMD_CRL_LEN: u32 = verify::amd_crl::MAX_CRL_LEN as u32;

/// What a pinned root anchors.
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
	serde::Serialize,
	serde::Deserialize,
)]
pub enum RootKind {
	/// Intel SGX root CA certificate (DCAP: SGX and TDX quotes, collateral).
	IntelSgx,
	/// AMD root key (ARK) certificate of a processor family (Milan, Genoa, Turin).
	AmdArk,
	/// Arm CCA platform attestation key (`SubjectPublicKeyInfo`).
	ArmCcaPlatform,
	/// Quantum facility root certificate.
	QuantumFacility,
}

/// The network's attestation policy, as stored.
///
/// The `ai` capability's part is the workload allowlist and the TEE checks (TCB statuses,
/// debug, age, SEV-SNP guest policy and minimum TCB, Intel's TCB evaluation); the `quantum`
/// capability's part is the trap families. The default admits **no** TEE workload: a chain
/// accepts an `ai` attestation only once governance has pinned the runner images it trusts
/// (`workloads`), or on a development chain whose genesis sets `any_workload`.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	DefaultNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxM, MaxT))]
pub struct AttestationPolicy<MaxM: Get<u32>, MaxT: Get<u32>> {
	/// The runner images the `ai` capability accepts: TEE evidence is refused
	/// (`MeasurementNotAllowed`) unless one of these rules admits its workload.
	pub workloads: BoundedVec<WorkloadRule, MaxM>,
	/// Admit every TEE workload whatever `workloads` says: development chains only (their
	/// genesis presets set it, and say so).
	pub any_workload: bool,
	/// Accepted TCB statuses (default: UpToDate, and NotApplicable for kinds without one).
	pub accepted_tcb: TcbStatusSet,
	/// Whether debug-mode TEEs are accepted (default: no).
	pub allow_debug: bool,
	/// Oldest accepted evidence or collateral, seconds before now; 0: no limit.
	pub max_age_secs: u64,
	/// SEV-SNP guest policy bits that must be set.
	pub sev_required_policy_bits: u64,
	/// SEV-SNP guest policy bits that must be clear (e.g. `MIGRATE_MA`, bit 18).
	pub sev_forbidden_policy_bits: u64,
	/// SEV-SNP minimum reported TCB (bootloader, tee, snp, microcode).
	pub sev_min_tcb: [u8; 4],
	/// Trap families accepted for quantum providers; empty: none required.
	pub quantum_trap_families: BoundedVec<Name, MaxT>,
	/// Lowest Intel TCB evaluation (`tcbEvaluationDataNumber`) accepted for DCAP collateral
	/// and the quotes it grades; 0: any. Governance raises it after an Intel TCB recovery, so
	/// collateral from before the recovery is refused even where nothing newer was uploaded
	/// yet.
	pub min_tcb_evaluation_data_number: u32,
	/// Require a current AMD CRL for SEV-SNP evidence: a chain whose ARK has no stored list,
	/// or one past its `nextUpdate`, is refused (`AmdCrlMissing`, `AmdCrlExpired`). A stored
	/// list's revocations apply whatever this says.
	pub require_amd_crl: bool,
}

impl<MaxM: Get<u32>, MaxT: Get<u32>> AttestationPolicy<MaxM, MaxT> {
	/// The verifier's form of this policy.
	pub fn to_policy(&self) -> verify::Policy {
		verify::Policy {
			workloads: self.workloads.to_vec(),
			any_workload: self.any_workload,
			accepted_tcb: self.accepted_tcb,
			allow_debug: self.allow_debug,
			max_age_secs: self.max_age_secs,
			sev_required_policy_bits: self.sev_required_policy_bits,
			sev_forbidden_policy_bits: self.sev_forbidden_policy_bits,
			sev_min_tcb: self.sev_min_tcb,
			quantum_trap_families: self.quantum_trap_families.iter().map(|f| f.to_vec()).collect(),
		}
	}
}

/// Policy type of a runtime.
pub type PolicyOf<T> =
	AttestationPolicy<<T as Config>::MaxMeasurements, <T as Config>::MaxTrapFamilies>;

/// Most certificate fingerprints kept per attestation (a quantum chain's certificates below
/// its root: `aicf_attestation_verify::quantum::MAX_CHAIN_LEN`, a leaf and two
/// intermediates).
pub const MAX_CHAIN_CERTS: u32 = 3;

/// Most trap families kept from a quantum facility certificate.
pub const MAX_STORED_TRAP_FAMILIES: u32 = 16;

/// What the pallet keeps of a provider's latest accepted attestation, so a policy change can
/// be applied to it later without the evidence.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct StoredAttestation<BlockNumber> {
	/// SHA3-256 of the evidence.
	pub evidence_hash: [u8; 32],
	/// Evidence kind.
	pub kind: EvidenceKind,
	/// Measurement, zero-padded.
	pub measurement: [u8; 48],
	/// Every workload register the evidence reported, so a later policy's allowlist can judge
	/// it.
	pub workload: Workload,
	/// TCB status.
	pub tcb_status: TcbStatus,
	/// Debug mode.
	pub debug: bool,
	/// Issue time of the evidence or its collateral, Unix seconds.
	pub issued_at: Option<u64>,
	/// Trap families (quantum).
	pub trap_families: BoundedVec<Name, ConstU32<MAX_STORED_TRAP_FAMILIES>>,
	/// SHA-256 fingerprints of the certificates the evidence chained through below its root
	/// (quantum), so a later revocation reaches it through `revalidate`.
	pub chain_fingerprints: BoundedVec<[u8; 32], ConstU32<MAX_CHAIN_CERTS>>,
	/// The earliest end of validity of the evidence, its certificates and collateral, Unix
	/// seconds: `revalidate` revokes at this chain time even where blocks were slower than
	/// `expires_at` assumed.
	pub not_after: u64,
	/// Block of verification.
	pub verified_at: BlockNumber,
	/// Version (1 for a provider's first attestation).
	pub version: u32,
	/// Block after which it no longer counts.
	pub expires_at: BlockNumber,
	/// The registry key hash the evidence was bound to: after a rotation the attestation no
	/// longer stands for the provider (`revalidate` revokes it, reason `KeyRotated`).
	pub key_hash: [u8; 32],
	/// The report-data binding the evidence was accepted under
	/// ([`aicf_attestation_verify::attestation_binding`]): `recheck` verifies the evidence
	/// again with it.
	pub binding: [u8; 32],
}

/// Stored attestation type of a runtime.
pub type StoredAttestationOf<T> = StoredAttestation<BlockNumberFor<T>>;

/// Why an attestation was revoked.
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
pub enum RevocationReason {
	/// Past its expiry.
	Expired,
	/// No longer satisfies the network policy.
	PolicyChanged,
	/// Revoked by governance.
	Governance,
	/// The provider's registry key changed since (the registry dropped it at the rotation;
	/// this removes the summary), or the provider is gone.
	KeyRotated,
	/// A certificate of its chain was revoked since (`set_certificate_revoked`, or an AMD
	/// CRL that `recheck` applied).
	CertificateRevoked,
	/// `recheck` verified its evidence again and it failed (the `RecheckFailed` event says
	/// why): another TCB grading by newer collateral, a root removed, the policy...
	RecheckFailed,
}
