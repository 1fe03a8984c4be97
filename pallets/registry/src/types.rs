//! Storage records of the registry (provider record, heartbeat state, stake ledger and its
//! unbonding chunks) and the reason a status changed.

use aicf_primitives::{
	payload::HeartbeatReport,
	traits::AttestationRecord,
	types::{Contact, Endpoint, Region},
	Capabilities, CapabilityKind, ProviderStatus, RegistryPublicKey,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::Get};
use scale_info::TypeInfo;
use sp_runtime::Permill;

/// What the last accepted heartbeat left behind.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct HeartbeatState {
	/// Counter of the last accepted heartbeat.
	pub counter: u64,
	/// Its timestamp, Unix seconds.
	pub timestamp: u64,
	/// Its report (QoS window and load).
	pub report: HeartbeatReport,
	/// Health score right after it; decays lazily (see [`crate::health`]).
	pub health: Permill,
}

/// A provider's attestations, one per capability: a TEE's (DCAP, SEV-SNP, CCA) for `ai`, a
/// facility certificate's for `quantum`. Each declared capability needs its own current one.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct AttestationSlots<BlockNumber> {
	/// The TEE attestation that backs the `ai` capability.
	pub ai: Option<AttestationRecord<BlockNumber>>,
	/// The facility certificate that backs the `quantum` capability.
	pub quantum: Option<AttestationRecord<BlockNumber>>,
}

impl<BlockNumber> Default for AttestationSlots<BlockNumber> {
	fn default() -> Self {
		Self { ai: None, quantum: None }
	}
}

impl<BlockNumber: PartialOrd + Copy> AttestationSlots<BlockNumber> {
	/// The attestation of `capability`.
	pub fn get(&self, capability: CapabilityKind) -> Option<&AttestationRecord<BlockNumber>> {
		match capability {
			CapabilityKind::Ai => self.ai.as_ref(),
			CapabilityKind::Quantum => self.quantum.as_ref(),
		}
	}

	/// The slot of `capability`.
	pub fn slot_mut(
		&mut self,
		capability: CapabilityKind,
	) -> &mut Option<AttestationRecord<BlockNumber>> {
		match capability {
			CapabilityKind::Ai => &mut self.ai,
			CapabilityKind::Quantum => &mut self.quantum,
		}
	}

	/// Both slots, `ai` first.
	pub fn iter(&self) -> impl Iterator<Item = &AttestationRecord<BlockNumber>> {
		self.ai.iter().chain(self.quantum.iter())
	}

	/// Whether every capability `caps` declares is backed at block `now`, chain time
	/// `now_secs` (Unix seconds): `ai` by a current TEE attestation, `quantum` by a current
	/// facility certificate that certifies every declared trap family. A provider declaring
	/// nothing is backed by nothing.
	pub fn cover(&self, caps: &Capabilities, now: BlockNumber, now_secs: u64) -> bool {
		let ai =
			caps.ai.is_none() || self.ai.as_ref().is_some_and(|a| a.current_at(&now, now_secs));
		let quantum = caps.quantum.as_ref().is_none_or(|q| {
			self.quantum.as_ref().is_some_and(|a| {
				a.current_at(&now, now_secs)
					&& q.trap_families.iter().all(|f| a.trap_families.contains(f))
			})
		});
		(caps.ai.is_some() || caps.quantum.is_some()) && ai && quantum
	}

	/// The first block at which the attestations stop backing `caps` with time alone: the
	/// earliest expiry of the declared capabilities' attestations (`None` if one is missing).
	pub fn expires_at(&self, caps: &Capabilities) -> Option<BlockNumber> {
		let mut earliest: Option<BlockNumber> = None;
		for (declared, slot) in
			[(caps.ai.is_some(), &self.ai), (caps.quantum.is_some(), &self.quantum)]
		{
			if declared {
				let at = slot.as_ref()?.expires_at;
				earliest = Some(match earliest {
					Some(e) if e < at => e,
					_ => at,
				});
			}
		}
		earliest
	}
}

/// Everything the chain knows about one provider. Never deleted (spec §9, §12).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct ProviderRecord<AccountId, BlockNumber> {
	/// Account that signs the provider's management calls and receives its funds.
	pub controller: AccountId,
	/// Current registry key (rotation replaces it; the id stays).
	pub key: RegistryPublicKey,
	/// Nonce of registry-key-signed updates and rotations; increases with each one.
	pub key_nonce: u64,
	/// Lifecycle status, as last decided by [`crate::status::decide`].
	pub status: ProviderStatus,
	/// Declared capabilities.
	pub capabilities: Capabilities,
	/// Region name.
	pub region: Region,
	/// Public `https://` endpoint.
	pub endpoint: Endpoint,
	/// Public operator contact.
	pub contact: Contact,
	/// Block of registration.
	pub registered_at: BlockNumber,
	/// Latest verified attestation per capability.
	pub attestations: AttestationSlots<BlockNumber>,
	/// Block of the last accepted heartbeat, if any.
	pub last_heartbeat: Option<BlockNumber>,
	/// State left by the last heartbeat.
	pub heartbeat: HeartbeatState,
	/// Set while jailed: the block from which `unjail` is allowed.
	pub jailed_until: Option<BlockNumber>,
	/// No funds are released before this block: the latest end of a jail, a slash's cooldown,
	/// and the offence-report window after the last lease released or the deregistration.
	/// A deregistered provider can still be penalised before it.
	pub cooldown_until: BlockNumber,
	/// Leases currently open.
	pub leases_in_use: u32,
}

/// One unstake request, unlocking linearly from `start` to `end`.
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
pub struct UnbondingChunk<Balance, BlockNumber> {
	/// Amount requested (what has been withdrawn from it is subtracted).
	pub amount: Balance,
	/// Part of `amount` already withdrawn.
	pub withdrawn: Balance,
	/// Unlocking starts here (`max(request block, lock_until)`).
	pub start: BlockNumber,
	/// Fully unlocked here (`start + UnbondingBlocks`).
	pub end: BlockNumber,
}

/// Funds of one provider. All of it (`bonded` + unbonding not yet withdrawn) is held on the
/// controller under [`crate::HoldReason::ProviderStake`].
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(MaxChunks))]
#[codec(mel_bound(Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct StakeLedger<Balance, BlockNumber, MaxChunks: Get<u32>>
where
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// Stake counting towards the minimum.
	pub bonded: Balance,
	/// No unbonding starts before this block; every stake or top-up resets it.
	pub lock_until: BlockNumber,
	/// Pending unstake requests, oldest first.
	pub unbonding: BoundedVec<UnbondingChunk<Balance, BlockNumber>, MaxChunks>,
	/// Slash amounts the held funds could not cover; block withdraw and deregistration.
	pub liabilities: Balance,
}

impl<Balance, BlockNumber, MaxChunks> Default for StakeLedger<Balance, BlockNumber, MaxChunks>
where
	Balance: Clone + PartialEq + Eq + core::fmt::Debug + Default,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug + Default,
	MaxChunks: Get<u32>,
{
	fn default() -> Self {
		Self {
			bonded: Default::default(),
			lock_until: Default::default(),
			unbonding: Default::default(),
			liabilities: Default::default(),
		}
	}
}

/// Why a status changed; carried by [`crate::Event::StatusChanged`].
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
pub enum StatusReason {
	/// Stake was added.
	Staked,
	/// An unstake was requested.
	UnstakeRequested,
	/// An unstake was cancelled.
	Rebonded,
	/// Unbonded funds were withdrawn.
	Withdrawn,
	/// Capabilities, region or endpoint changed.
	MetadataUpdated,
	/// A new attestation was recorded.
	AttestationUpdated,
	/// The attestation was revoked or expired.
	AttestationRevoked,
	/// The provider deregistered.
	Deregistered,
	/// A heartbeat was accepted.
	HeartbeatReceived,
	/// Silent too long or unhealthy.
	Unresponsive,
	/// Left jail.
	Unjailed,
	/// An offence was penalised.
	Slashed,
	/// An attestation expired or heartbeats lapsed, found by the `on_idle` sweep.
	Lapsed,
	/// Governance jailed or deregistered the provider (`force_jail`, `force_deregister`).
	Governance,
	/// The registry key was rotated: evidence binds the key, so the attestations went with it.
	KeyRotated,
}

/// Most bytes of a [`GovernanceReason`].
pub const MAX_GOVERNANCE_REASON_LEN: u32 = 128;

/// Why governance jailed or deregistered a provider: printable ASCII, 1 to
/// [`MAX_GOVERNANCE_REASON_LEN`] bytes (e.g. a referendum or a policy reference). Carried by
/// the events, not stored.
pub type GovernanceReason = BoundedVec<u8, ConstU32<MAX_GOVERNANCE_REASON_LEN>>;

/// Whether `reason` is a valid [`GovernanceReason`]: not empty, printable ASCII and spaces.
pub fn is_valid_reason(reason: &[u8]) -> bool {
	!reason.is_empty() && reason.iter().all(|c| c.is_ascii_graphic() || *c == b' ')
}
