//! Interfaces other pallets call; the registry pallet implements them.
//!
//! A matcher pallet finds and leases providers through [`ProviderEligibility`] and
//! [`ProviderLeases`]; an SLA pallet reports faults through [`ProviderPenalties`]; settlement
//! credits earnings through [`ProviderPayouts`]; the attestation pallet hands verified evidence
//! over through [`AttestationSink`]. None of these calls is a dispatchable: the caller's own
//! origin checks apply, and every call either succeeds or changes nothing.

use crate::{
	types::{Name, MAX_TRAP_FAMILIES},
	CapabilityKind, ProviderId,
};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::{traits::ConstU32, BoundedVec, DispatchResult, Permill};

/// What a job needs from a provider.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum CapabilityRequirement {
	/// An AI provider serving `model`.
	Ai {
		/// Model family, e.g. `llama3-8b`.
		model: Name,
	},
	/// A quantum provider supporting `trap_family` at the given size.
	Quantum {
		/// Trap-circuit family, e.g. `clifford`.
		trap_family: Name,
		/// Smallest acceptable `max_depth`.
		min_depth: u32,
		/// Smallest acceptable `max_width`.
		min_width: u32,
	},
}

/// A job's requirements (spec §7).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct JobRequirements<Balance> {
	/// Capability needed.
	pub capability: CapabilityRequirement,
	/// Regions the job may run in; empty = any region the network allows.
	pub regions: Vec<crate::types::Region>,
	/// Smallest acceptable effective health score.
	pub min_health: Permill,
	/// Smallest acceptable bonded stake (the provider's own minimum applies regardless).
	pub min_stake: Balance,
	/// Largest acceptable round-trip time in milliseconds, compared with the median of the
	/// provider's recent heartbeat reports (its QoS window); `None` = any.
	pub max_rtt_ms: Option<u32>,
}

/// The first reason a provider is not eligible.
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
pub enum Ineligible {
	/// No such provider.
	UnknownProvider,
	/// Status is not ACTIVE (registered, unstaking or deregistered).
	NotActive,
	/// The provider is jailed.
	Jailed,
	/// The required capability, model family or trap family is not declared, or too small.
	CapabilityMissing,
	/// The provider's region is excluded by the job or the network.
	RegionDenied,
	/// Bonded stake is below the requirement.
	StakeTooLow,
	/// Effective health is below the requirement.
	Unhealthy,
	/// No current attestation.
	AttestationStale,
	/// Every lease slot is taken.
	QuotaFull,
	/// The median RTT of the provider's recent reports is above the requirement (or it has
	/// sent none).
	RttTooHigh,
}

/// Eligibility queries for matchers. Implementations answer from indexes, not scans.
pub trait ProviderEligibility<Balance> {
	/// `Ok` if `provider` may take a job with `requirements`, else the first failing reason.
	fn check(
		provider: &ProviderId,
		requirements: &JobRequirements<Balance>,
	) -> Result<(), Ineligible>;

	/// Up to `limit` eligible providers after `cursor` (exclusive), in id order, and the cursor
	/// to continue from: `Some` when the walk stopped on its limit or budget (the next page may
	/// be empty), `None` once the end is reached.
	fn candidates(
		requirements: &JobRequirements<Balance>,
		limit: u32,
		cursor: Option<ProviderId>,
	) -> (Vec<ProviderId>, Option<ProviderId>);
}

/// How a lease ended, as the matcher reports it when it returns the lease slot. The registry
/// counts outcomes per provider and SLA window; failures over the window's threshold are an
/// SLA breach (spec §8: "lease abandonment (timeouts) over threshold").
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
pub enum LeaseOutcome {
	/// The provider delivered.
	Completed,
	/// The provider gave the lease up before its deadline.
	Abandoned,
	/// The deadline passed without the provider delivering.
	TimedOut,
	/// Ended for a reason that is not the provider's fault (the requester cancelled, governance
	/// intervened); not counted against it.
	Cancelled,
}

/// Lease accounting against a provider's concurrent-lease quota.
pub trait ProviderLeases {
	/// Take one lease slot; fails if the provider is not eligible or its quota is full.
	fn acquire_lease(provider: &ProviderId) -> DispatchResult;
	/// Return one lease slot with the lease's outcome; fails if none is open.
	fn release_lease(provider: &ProviderId, outcome: LeaseOutcome) -> DispatchResult;
}

/// Faults an SLA or matcher pallet can report (spec §8).
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
pub enum Offence {
	/// An attestation or trap-circuit proof failed after assignment.
	InvalidProof,
	/// A lease was abandoned (timed out). Matchers report lease outcomes through
	/// [`ProviderLeases::release_lease`], which the registry's SLA windows turn into
	/// [`Offence::SlaBreach`] when over threshold; this variant is for governance's direct
	/// report of one abandonment.
	LeaseAbandoned,
	/// Persistent QoS/SLA underperformance; `severity` 1 (mild) to 3 (severe).
	SlaBreach {
		/// 1–3; larger is worse.
		severity: u8,
	},
}

/// Penalties: slash, jail, cooldown and score decay, as configured per offence.
pub trait ProviderPenalties {
	/// Apply the configured penalty for `offence` to `provider`.
	fn report_offence(provider: &ProviderId, offence: Offence) -> DispatchResult;
}

/// Settlement credits a provider's earnings for an epoch; the provider claims them later.
pub trait ProviderPayouts<Balance> {
	/// Credit `amount` for `epoch`; the funds must already sit in the registry's pot.
	fn credit(provider: &ProviderId, epoch: u64, amount: Balance) -> DispatchResult;
}

/// Evidence kinds an attestation can be made of.
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
pub enum EvidenceKind {
	/// Intel SGX DCAP quote.
	SgxDcap,
	/// Intel TDX DCAP quote.
	TdxDcap,
	/// AMD SEV-SNP attestation report.
	SevSnp,
	/// Arm CCA token.
	Cca,
	/// Quantum facility identity certificate.
	Quantum,
}

impl EvidenceKind {
	/// The variant's name, as views and clients show it.
	pub fn name(self) -> &'static str {
		match self {
			Self::SgxDcap => "SgxDcap",
			Self::TdxDcap => "TdxDcap",
			Self::SevSnp => "SevSnp",
			Self::Cca => "Cca",
			Self::Quantum => "Quantum",
		}
	}

	/// The capability this kind of evidence attests: a TEE (DCAP, SEV-SNP, CCA) attests an
	/// `ai` runtime, a facility certificate a `quantum` device. A provider keeps one
	/// attestation per capability it declares.
	pub fn capability(self) -> CapabilityKind {
		match self {
			Self::SgxDcap | Self::TdxDcap | Self::SevSnp | Self::Cca => CapabilityKind::Ai,
			Self::Quantum => CapabilityKind::Quantum,
		}
	}
}

/// A verified attestation as the registry records it.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct AttestationRecord<BlockNumber> {
	/// SHA3-256 of the evidence (not `hash`: every polkadot-js codec has a `.hash` of its own).
	pub evidence_hash: [u8; 32],
	/// What the evidence is.
	pub kind: EvidenceKind,
	/// Measurement the evidence reports (zero-padded), for policy and audit.
	pub measurement: [u8; 48],
	/// Block at which it was verified.
	pub updated_height: BlockNumber,
	/// Increases with every accepted attestation of this provider.
	pub version: u32,
	/// Block after which it no longer counts.
	pub expires_at: BlockNumber,
	/// The last second (Unix, chain time) it counts: the end of validity of its evidence,
	/// certificates and collateral. However slow blocks are, it stops counting then.
	pub not_after: u64,
	/// What the evidence certifies beyond its kind: a facility certificate's trap families
	/// (the declared ones must all be among them); empty for a TEE.
	pub trap_families: BoundedVec<Name, ConstU32<MAX_TRAP_FAMILIES>>,
}

impl<BlockNumber: PartialOrd> AttestationRecord<BlockNumber> {
	/// Whether it still counts at block `now`, whose chain time is `now_secs` (Unix seconds):
	/// before its `expires_at` block and not after its `not_after` second.
	pub fn current_at(&self, now: &BlockNumber, now_secs: u64) -> bool {
		*now < self.expires_at && now_secs <= self.not_after
	}
}

/// Who manages a provider: the attestation pallet accepts evidence only from the controller.
pub trait ProviderControllers<AccountId> {
	/// The controller of `provider`; `None` if it is unknown or deregistered.
	fn controller(provider: &ProviderId) -> Option<AccountId>;
}

/// Receives attestation results; the registry re-evaluates eligibility atomically.
///
/// A provider holds one attestation per capability ([`EvidenceKind::capability`]). The
/// registry refuses evidence for a capability the provider does not declare, and a facility
/// certificate that does not certify every declared trap family.
pub trait AttestationSink<BlockNumber> {
	/// The [`crate::id::KeyHash`] of `provider`'s current registry key, which fresh evidence
	/// binds (so a rotation needs a new attestation); `None` if it is unknown or deregistered.
	fn registry_key_hash(provider: &ProviderId) -> Option<crate::id::KeyHash>;
	/// Record a verified attestation for `provider`, replacing its attestation of the same
	/// capability.
	fn attestation_verified(
		provider: &ProviderId,
		record: AttestationRecord<BlockNumber>,
	) -> DispatchResult;
	/// Drop `provider`'s attestation of `capability` (policy change, revocation).
	fn attestation_revoked(provider: &ProviderId, capability: CapabilityKind) -> DispatchResult;
}
