//! Storage records of the registry (provider record, heartbeat state, stake ledger and its
//! unbonding chunks) and the reason a status changed.

use aicf_primitives::{
	payload::HeartbeatReport,
	traits::AttestationRecord,
	types::{Contact, Endpoint, Region},
	Capabilities, ProviderStatus, RegistryPublicKey,
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
	/// Latest verified attestation, if any.
	pub attestation: Option<AttestationRecord<BlockNumber>>,
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
