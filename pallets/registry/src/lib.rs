//! # AICF Provider Registry Pallet
//!
//! Identities, capabilities, stake and lifecycle of AI and quantum compute providers.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the calls, events, errors, storage and configuration.
//! `docs/pallet-registry.md` has the same as tables and the status diagram.
//!
//! ## Overview
//!
//! A provider is identified by a [`ProviderId`] derived from its post-quantum **registry key**
//! (ML-DSA-65 or SLH-DSA-SHA2-128s). An ordinary **controller account** registers it, pays
//! fees, bonds stake and receives funds. Registration carries a proof of possession: the
//! registry key signs the canonical registration payload (genesis hash, controller, id), so
//! nobody can register a key they do not hold or replay a registration on another chain.
//! Updates of capabilities, endpoint and region and key rotations are signed by the registry
//! key as well, each over its canonical payload with a nonce.
//!
//! Stake is held on the controller with `fungible::MutateHold` under
//! [`HoldReason::ProviderStake`]. Every stake or top-up sets `lock_until = now +
//! StakeLockBlocks`; an unstake request unlocks linearly over `UnbondingBlocks` starting at
//! `max(now, lock_until)`; `withdraw` releases what has unlocked; `rebond` cancels pending
//! unstakes.
//!
//! The status (REGISTERED, ACTIVE, JAILED, UNSTAKING, DEREGISTERED) is decided by one pure
//! function, [`status::decide`]; every change emits [`Event::StatusChanged`], and every stake
//! movement its own event: together the append-only audit trail of spec §12. Records are never
//! deleted.
//!
//! ## Low-level details
//!
//! - Storage version 1. Records are keyed by [`ProviderId`]; the key index maps the key hash
//!   `SHA3-256(pubkey || alg_id)` of every key ever used to its provider (the id is the first
//!   12 bytes of the first key's hash), so a rotated-out key can never be registered again.
//! - No hook does work proportional to the number of providers.
//! - Invariants are listed on [`Pallet::do_try_state`] and checked after every test.

#![cfg_attr(not(feature = "std"), no_std)]
// Tests may panic and compute freely; the runtime-side code may not.
#![cfg_attr(test, allow(clippy::arithmetic_side_effects, clippy::indexing_slicing))]

extern crate alloc;

pub use pallet::*;

pub mod api;
pub mod attestation_sink;
#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helpers;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod controllers;
pub mod eligibility;
pub mod governance;
pub mod health;
pub mod heartbeat;
pub mod indexes;
// Also native (`std`): the runtime's simulation checks them at every simulated hour.
#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod invariants;
pub mod leases;
pub mod lifecycle;
#[cfg(test)]
mod mock;
pub mod payouts;
pub mod penalties;
pub mod proofs;
pub mod qos;
pub mod region_policy;
pub mod signing;
pub mod sla;
pub mod staking;
pub mod status;
pub mod status_refresh;
#[cfg(test)]
mod tests;
pub mod types;
pub mod unlock;
pub mod weight_selection;
pub mod weights;

pub use aicf_primitives::KeyHash;
pub use heartbeat::{Heartbeat, HeartbeatRejection};
pub use indexes::{IndexKey, ListingKey};
pub use payouts::Payout;
pub use penalties::{DefaultPenaltyPolicy, Penalty, PenaltyPolicy};
pub use region_policy::RegionPolicy;
pub use sla::{SlaParams, SlaRecord};
pub use types::*;
pub use weights::WeightInfo;

use aicf_primitives::ProviderId;
use frame_system::pallet_prelude::BlockNumberFor;

/// Provider record type of a runtime.
pub type ProviderRecordOf<T> =
	ProviderRecord<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

/// Stake ledger type of a runtime.
pub type StakeLedgerOf<T> =
	StakeLedger<<T as Config>::Balance, BlockNumberFor<T>, <T as Config>::MaxUnbondingChunks>;

/// Payout entry type of a runtime.
pub type PayoutOf<T> = Payout<<T as Config>::Balance, BlockNumberFor<T>>;

/// Region policy type of a runtime.
pub type RegionPolicyOf<T> = RegionPolicy<<T as Config>::MaxRegionPolicy>;

// FRAME's expansion of the pallet, storage and error declarations calls `expect` (the pallet's
// name and index in the runtime, which `construct_runtime!` guarantees); the hand-written code
// in this module has none.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use aicf_primitives::{
		crypto::{RegistryPublicKey, SignatureBytes},
		traits::Offence,
		types::{Contact, Endpoint, Region},
		Capabilities, KeyAlgorithm, ProviderStatus,
	};
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, tokens::Balance as BalanceT, UnixTime},
		weights::WeightMeter,
		PalletId,
	};
	use frame_system::{ensure_authorized, pallet_prelude::*};
	use sp_runtime::Permill;

	/// The in-code storage version.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Reasons this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Stake bonded by a provider (including stake that is unbonding).
		#[codec(index = 0)]
		ProviderStake,
		/// The deposit a registration holds for the storage it creates, released when the
		/// provider deregisters.
		#[codec(index = 1)]
		RegistrationDeposit,
	}

	/// Configuration. Amounts are in the currency's smallest unit (plancks); durations in blocks.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Currency in which stake is held.
		type Currency: fungible::Inspect<Self::AccountId, Balance = Self::Balance>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::InspectHold<Self::AccountId>;

		/// Balance type of [`Config::Currency`].
		type Balance: BalanceT;

		/// The runtime's hold reason, which this pallet's [`HoldReason`] converts into.
		type RuntimeHoldReason: From<HoldReason>;

		/// Deposit held on the controller by each registration, sized to the storage a provider
		/// creates (its record, key, index and window entries); released at deregistration.
		/// Registrations are what free heartbeats and listings cost the chain, so they are not
		/// free to create.
		#[pallet::constant]
		type RegistrationDeposit: Get<Self::Balance>;

		/// Minimum bonded stake of a provider declaring the AI capability, in plancks.
		#[pallet::constant]
		type MinStakeAi: Get<Self::Balance>;

		/// Minimum bonded stake of a provider declaring the quantum capability, in plancks.
		#[pallet::constant]
		type MinStakeQuantum: Get<Self::Balance>;

		/// Blocks after a stake or top-up before any of it may start unbonding.
		#[pallet::constant]
		type StakeLockBlocks: Get<BlockNumberFor<Self>>;

		/// Blocks over which an unstake request unlocks linearly.
		#[pallet::constant]
		type UnbondingBlocks: Get<BlockNumberFor<Self>>;

		/// Chain time (pallet-timestamp), for heartbeat timestamps.
		type UnixTime: UnixTime;

		/// Expected blocks between heartbeats. A provider silent for longer than one interval
		/// plus [`Config::HeartbeatGrace`] is no longer eligible, and each missed interval
		/// decays its health (see [`crate::health`]).
		#[pallet::constant]
		type HeartbeatInterval: Get<BlockNumberFor<Self>>;

		/// Blocks a heartbeat may come after its due block (`HeartbeatInterval` after the last
		/// one) and still count as on time: room for block-time jitter and cron skew.
		#[pallet::constant]
		type HeartbeatGrace: Get<BlockNumberFor<Self>>;

		/// Largest amount a heartbeat's counter may exceed the last accepted one by, so that a
		/// leaked key cannot exhaust the counter (`u64::MAX`) in one heartbeat.
		#[pallet::constant]
		type MaxHeartbeatCounterStep: Get<u64>;

		/// Fewest blocks between two accepted heartbeats of one provider.
		#[pallet::constant]
		type MinHeartbeatInterval: Get<BlockNumberFor<Self>>;

		/// Silence of more than this many intervals jails an ACTIVE provider.
		#[pallet::constant]
		type MaxMissedHeartbeats: Get<u32>;

		/// Largest accepted distance, in seconds, between a heartbeat's timestamp and chain time.
		#[pallet::constant]
		type HeartbeatTimestampWindow: Get<u64>;

		/// Health multiplier per missed interval (`0.5^(1/h)` gives a half-life of `h`
		/// intervals).
		#[pallet::constant]
		type HealthDecayPerInterval: Get<Permill>;

		/// Weight of a new heartbeat's reported availability in the health score.
		#[pallet::constant]
		type HealthSmoothing: Get<Permill>;

		/// Effective health below this makes a provider ineligible and jails it if ACTIVE.
		#[pallet::constant]
		type HealthThreshold: Get<Permill>;

		/// Blocks a provider jailed for silence or poor health waits before `unjail`.
		#[pallet::constant]
		type JailCooldownBlocks: Get<BlockNumberFor<Self>>;

		/// Blocks after a provider's last lease settles, and after it deregisters, during which
		/// offences can still be reported against it and none of its funds are released
		/// (`withdraw` waits; an offence against a deregistered provider is still recorded). An
		/// SLA pallet that reports when its window closes needs at least that window here.
		#[pallet::constant]
		type OffenceReportWindow: Get<BlockNumberFor<Self>>;

		/// Longest jail governance can impose at once (`force_jail`). A jail holds the
		/// provider's funds until it ends, so this bounds how long one call can freeze them.
		#[pallet::constant]
		type MaxGovernanceJailBlocks: Get<BlockNumberFor<Self>>;

		/// Transaction-pool priority of heartbeats.
		#[pallet::constant]
		type HeartbeatPriority: Get<TransactionPriority>;

		/// Most records the `on_idle` sweep reads per block.
		#[pallet::constant]
		type MaxSweepPerBlock: Get<u32>;

		/// Most heartbeat slots one block holds: an ML-DSA-65 heartbeat takes one, an
		/// SLH-DSA-SHA2-128s one (more than twice as long)
		/// [`crate::heartbeat::SLH_DSA_HEARTBEAT_SLOTS`]. Heartbeats are free and outrank
		/// fee-paying transactions in the pool, so this budget is what keeps block space for
		/// the latter.
		#[pallet::constant]
		type MaxHeartbeatsPerBlock: Get<u32>;

		/// Most proofs one liveness hash chain holds ([`crate::proofs`]): after that many
		/// intervals proven by proofs alone, a signed heartbeat (with its report and the next
		/// commitment) is due.
		#[pallet::constant]
		type MaxLivenessChain: Get<u32>;

		/// Most proofs in one `prove_liveness` batch.
		#[pallet::constant]
		type MaxProofsPerBatch: Get<u32>;

		/// Most liveness proofs one block includes, each signed heartbeat in it counting as
		/// `ProofsPerHeartbeat` of them: with `MaxHeartbeatsPerBlock`, the budget of free
		/// liveness traffic that keeps block weight and length for fee-paying transactions.
		#[pallet::constant]
		type MaxProofsPerBlock: Get<u32>;

		/// How many proofs a signed heartbeat counts as against `MaxProofsPerBlock` (its weight
		/// over a proof's), per slot of the heartbeat budget it takes (an SLH-DSA heartbeat
		/// takes [`crate::heartbeat::SLH_DSA_HEARTBEAT_SLOTS`]).
		#[pallet::constant]
		type ProofsPerHeartbeat: Get<u32>;

		/// Heartbeat reports kept per provider in its QoS window ([`crate::qos`]): the median
		/// RTT the views show and matchers' `max_rtt_ms` compare with is over these.
		#[pallet::constant]
		type QosWindowLen: Get<u32>;

		/// Most leases a provider holds at once, whatever capacity it declares.
		#[pallet::constant]
		type MaxConcurrentLeases: Get<u32>;

		/// The SLA windows' length and thresholds ([`crate::sla`]).
		#[pallet::constant]
		type Sla: Get<SlaParams<BlockNumberFor<Self>>>;

		/// Maps offences to penalties.
		type PenaltyPolicy: PenaltyPolicy<Self::Balance, BlockNumberFor<Self>>;

		/// Account receiving slashed stake and paid liabilities (e.g. the treasury pot).
		type SlashDestination: Get<Self::AccountId>;

		/// Origin allowed to report offences directly.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Most providers one controller account manages at once.
		#[pallet::constant]
		type MaxProvidersPerController: Get<u32>;

		/// Most pending unstake requests per provider.
		#[pallet::constant]
		type MaxUnbondingChunks: Get<u32>;

		/// Most index entries [`ProviderEligibility::candidates`] skips (ineligible at the
		/// current block) in one call, on top of the `limit` it returns.
		///
		/// [`ProviderEligibility::candidates`]: aicf_primitives::traits::ProviderEligibility::candidates
		#[pallet::constant]
		type MaxCandidateSkips: Get<u32>;

		/// Most regions in each list of the network's region policy.
		#[pallet::constant]
		type MaxRegionPolicy: Get<u32>;

		/// Id of the pot account holding credited, unclaimed payouts.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Origin allowed to pay out credited earnings (`claim_payout`).
		type OpsOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// Provider records by id. Never removed: deregistered records stay for audit.
	#[pallet::storage]
	pub type Providers<T: Config> =
		StorageMap<_, Blake2_128Concat, ProviderId, ProviderRecordOf<T>, OptionQuery>;

	/// Every registry key ever used (current or rotated out), by its key hash
	/// `SHA3-256(pubkey || alg_id)` ([`RegistryPublicKey::key_hash`]).
	#[pallet::storage]
	pub type KeyOwners<T: Config> = StorageMap<_, Identity, KeyHash, ProviderId, OptionQuery>;

	/// Providers managed by a controller account, excluding deregistered ones.
	#[pallet::storage]
	pub type ControllerProviders<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<ProviderId, T::MaxProvidersPerController>,
		ValueQuery,
	>;

	/// Stake ledger of each provider that has ever staked.
	#[pallet::storage]
	pub type Ledgers<T: Config> =
		StorageMap<_, Blake2_128Concat, ProviderId, StakeLedgerOf<T>, OptionQuery>;

	/// The QoS window of each provider that has sent a heartbeat ([`crate::qos`]); removed at
	/// deregistration.
	#[pallet::storage]
	pub type QosWindows<T: Config> =
		StorageMap<_, Blake2_128Concat, ProviderId, crate::qos::QosWindowOf<T>, OptionQuery>;

	/// SLA accounting of each provider that has held a lease ([`crate::sla`]): the window
	/// counted and its lease outcomes, the run of low-availability windows. Removed when a
	/// closing leaves nothing to carry.
	#[pallet::storage]
	pub type SlaWindows<T: Config> =
		StorageMap<_, Blake2_128Concat, ProviderId, SlaRecord, OptionQuery>;

	/// The registration deposit each live provider holds on its controller (the amount held
	/// when it registered, released at deregistration).
	#[pallet::storage]
	pub type RegistrationDeposits<T: Config> =
		StorageMap<_, Blake2_128Concat, ProviderId, T::Balance, OptionQuery>;

	/// Where the `on_idle` sweep continues (the last id it read); `None` = from the start.
	#[pallet::storage]
	pub type SweepCursor<T: Config> = StorageValue<_, ProviderId, OptionQuery>;

	/// Heartbeat slots used so far in the block given (a count for another block is zero):
	/// the per-block budget `MaxHeartbeatsPerBlock` (an SLH-DSA heartbeat takes
	/// [`crate::heartbeat::SLH_DSA_HEARTBEAT_SLOTS`] slots, an ML-DSA one one).
	#[pallet::storage]
	pub type HeartbeatBlockUsage<T: Config> = StorageValue<_, (BlockNumberFor<T>, u32), ValueQuery>;

	/// Liveness proofs included so far in the block given: the budget `MaxProofsPerBlock`.
	#[pallet::storage]
	pub type ProofBlockUsage<T: Config> = StorageValue<_, (BlockNumberFor<T>, u32), ValueQuery>;

	/// Each provider's liveness hash chain ([`crate::proofs`]): a compact record of its own,
	/// the only thing a liveness proof reads and writes.
	#[pallet::storage]
	pub type LivenessChains<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		ProviderId,
		crate::proofs::LivenessChain<BlockNumberFor<T>>,
		OptionQuery,
	>;

	/// ACTIVE providers by model or trap family (see [`crate::indexes`]). The provider id
	/// is stored unhashed so that `candidates` walks it in id order; ids are SHA3-256 outputs.
	#[pallet::storage]
	pub type EligibleIndex<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, IndexKey, Identity, ProviderId, (), OptionQuery>;

	/// Every provider under its stored status, so that listings by status (`aicf_listProviders`
	/// with `status`) walk only that status, in id order.
	#[pallet::storage]
	pub type StatusIndex<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ProviderStatus, Identity, ProviderId, (), OptionQuery>;

	/// Every provider under its region and under each capability kind it declares (see
	/// [`ListingKey`]), whatever its status, so that listings filtered by region or capability
	/// (`aicf_listProviders`) walk only the providers that match, in id order.
	#[pallet::storage]
	pub type ListingIndex<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, ListingKey, Identity, ProviderId, (), OptionQuery>;

	/// The network's region allowlist and denylist, set by governance.
	#[pallet::storage]
	pub type NetworkRegionPolicy<T: Config> = StorageValue<_, RegionPolicyOf<T>, ValueQuery>;

	/// Credited earnings by provider and epoch; claimed entries stay, marked with their block.
	#[pallet::storage]
	pub type Payouts<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		ProviderId,
		Twox64Concat,
		u64,
		PayoutOf<T>,
		OptionQuery,
	>;

	/// Sum of every credited, unclaimed payout; the pot always covers it.
	#[pallet::storage]
	pub type PendingPayoutTotal<T: Config> = StorageValue<_, T::Balance, ValueQuery>;

	/// Number of provider records (deregistered included).
	#[pallet::storage]
	pub type ProviderCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Events. Together they are the append-only audit trail of every status and stake change.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A provider registered.
		Registered {
			/// The new provider.
			provider: ProviderId,
			/// Its controller account.
			controller: T::AccountId,
			/// Algorithm of its registry key.
			alg: KeyAlgorithm,
		},
		/// A provider's status changed.
		StatusChanged {
			/// The provider.
			provider: ProviderId,
			/// Status before.
			from: ProviderStatus,
			/// Status after.
			to: ProviderStatus,
			/// What caused the change.
			reason: StatusReason,
		},
		/// Capabilities were replaced.
		CapabilitiesUpdated {
			/// The provider.
			provider: ProviderId,
		},
		/// Endpoint (and possibly contact) were replaced.
		EndpointUpdated {
			/// The provider.
			provider: ProviderId,
		},
		/// Region was replaced.
		RegionUpdated {
			/// The provider.
			provider: ProviderId,
			/// The new region.
			region: Region,
		},
		/// The registry key was rotated; the id is unchanged.
		KeyRotated {
			/// The provider.
			provider: ProviderId,
			/// Key index entry of the retired key (it can never be registered again).
			old_key_hash: KeyHash,
			/// Algorithm of the new key.
			new_alg: KeyAlgorithm,
		},
		/// Stake was bonded (first stake or top-up).
		Staked {
			/// The provider.
			provider: ProviderId,
			/// Amount added.
			amount: T::Balance,
			/// Bonded total after.
			bonded: T::Balance,
			/// No unbonding starts before this block.
			lock_until: BlockNumberFor<T>,
		},
		/// An unstake was requested.
		Unbonding {
			/// The provider.
			provider: ProviderId,
			/// Amount that starts unbonding.
			amount: T::Balance,
			/// Unlocking starts at this block.
			start: BlockNumberFor<T>,
			/// Fully unlocked at this block.
			end: BlockNumberFor<T>,
		},
		/// Pending unstakes were cancelled; their remaining amount is bonded again.
		Rebonded {
			/// The provider.
			provider: ProviderId,
			/// Amount bonded again.
			amount: T::Balance,
		},
		/// Unlocked funds were released to the controller.
		Withdrawn {
			/// The provider.
			provider: ProviderId,
			/// Amount released.
			amount: T::Balance,
		},
		/// A provider deregistered; its record is kept.
		Deregistered {
			/// The provider.
			provider: ProviderId,
		},
		/// A heartbeat was accepted.
		HeartbeatReceived {
			/// The provider.
			provider: ProviderId,
			/// Its counter.
			counter: u64,
			/// Health score right after it.
			health: Permill,
		},
		/// A batch of liveness proofs was applied (each proven provider's chain record moved
		/// on; one event per batch, not per proof).
		LivenessProven {
			/// Proofs applied.
			count: u32,
			/// Items skipped: invalid by the time the batch was included (weighed all the
			/// same).
			skipped: u32,
		},
		/// A provider was jailed.
		Jailed {
			/// The provider.
			provider: ProviderId,
			/// `unjail` is possible from this block.
			until: BlockNumberFor<T>,
		},
		/// A provider left jail.
		Unjailed {
			/// The provider.
			provider: ProviderId,
		},
		/// An offence was reported.
		OffenceReported {
			/// The provider.
			provider: ProviderId,
			/// What it did.
			offence: Offence,
		},
		/// Stake was slashed to the slash destination.
		Slashed {
			/// The provider.
			provider: ProviderId,
			/// Amount taken from held stake.
			amount: T::Balance,
			/// Amount that could not be covered and is now owed.
			liability: T::Balance,
		},
		/// Governance replaced the network's region policy.
		RegionPolicySet {
			/// Regions where jobs may run (empty: all not denied).
			allowed: BoundedVec<Region, T::MaxRegionPolicy>,
			/// Regions where no job may run.
			denied: BoundedVec<Region, T::MaxRegionPolicy>,
		},
		/// A matcher took a lease slot.
		LeaseAcquired {
			/// The provider.
			provider: ProviderId,
			/// Leases open after.
			in_use: u32,
		},
		/// A lease slot was returned.
		LeaseReleased {
			/// The provider.
			provider: ProviderId,
			/// Leases open after.
			in_use: u32,
		},
		/// Settlement credited earnings for an epoch.
		PayoutCredited {
			/// The provider.
			provider: ProviderId,
			/// The epoch.
			epoch: u64,
			/// Amount added.
			amount: T::Balance,
		},
		/// An epoch's earnings were paid to the controller.
		PayoutClaimed {
			/// The provider.
			provider: ProviderId,
			/// The epoch.
			epoch: u64,
			/// Amount paid.
			amount: T::Balance,
			/// Account paid.
			controller: T::AccountId,
		},
		/// A liability was (partly) paid.
		LiabilityPaid {
			/// The provider.
			provider: ProviderId,
			/// Amount paid.
			amount: T::Balance,
			/// Still owed.
			remaining: T::Balance,
		},
		/// Governance jailed a provider without a slash.
		ForceJailed {
			/// The provider.
			provider: ProviderId,
			/// `unjail` is possible from this block.
			until: BlockNumberFor<T>,
			/// Why, as governance stated it.
			reason: GovernanceReason,
		},
		/// Governance deregistered a provider (policy or compliance): its open leases were
		/// released, not as its fault; its bonded stake started unbonding; its record is kept.
		ForceDeregistered {
			/// The provider.
			provider: ProviderId,
			/// Why, as governance stated it.
			reason: GovernanceReason,
			/// Open leases released with it (matchers see `NoOpenLease` for them afterwards).
			leases_released: u32,
			/// Bonded stake moved to unbonding.
			unbonding: T::Balance,
		},
		/// A provider's SLA window was closed and evaluated ([`crate::sla`]); a breach is
		/// followed by `OffenceReported` and `Slashed`.
		SlaWindowClosed {
			/// The provider.
			provider: ProviderId,
			/// The window closed.
			window: u32,
			/// Leases completed in it.
			completed: u32,
			/// Leases abandoned in it.
			abandoned: u32,
			/// Leases timed out in it.
			timed_out: u32,
			/// Mean availability of the provider's QoS window at closing (`None`: no report).
			availability: Option<Permill>,
			/// Breach severity, if the window was a breach.
			severity: Option<u8>,
		},
	}

	/// Errors. Each names the condition that failed; a failed call changes nothing.
	#[pallet::error]
	pub enum Error<T> {
		/// The public key's length does not match its algorithm.
		InvalidPublicKey,
		/// This key is, or once was, registered (rotated-out keys are never reused).
		KeyAlreadyRegistered,
		/// A provider with the derived id already exists.
		ProviderAlreadyRegistered,
		/// The registration proof of possession does not verify.
		BadProofOfPossession,
		/// The registry-key signature over the update or rotation payload does not verify.
		BadSignature,
		/// The new key's signature over the rotation payload does not verify.
		BadNewKeySignature,
		/// Capabilities are empty, malformed, duplicated or have a zero limit.
		InvalidCapabilities,
		/// Region is empty or not `a-z 0-9 -`.
		InvalidRegion,
		/// Endpoint is not an `https://` URL with a host in printable ASCII.
		InvalidEndpoint,
		/// Contact is empty or not printable ASCII.
		InvalidContact,
		/// The controller already manages `MaxProvidersPerController` providers.
		TooManyProviders,
		/// No provider with this id.
		UnknownProvider,
		/// The caller is not the provider's controller.
		NotController,
		/// The provider has deregistered; nothing about it can change.
		ProviderDeregistered,
		/// The amount is zero.
		ZeroAmount,
		/// The controller's free balance cannot cover the stake.
		InsufficientBalance,
		/// Unstake exceeds the bonded stake.
		InsufficientBonded,
		/// `MaxUnbondingChunks` unstake requests are already pending.
		TooManyUnbondingChunks,
		/// No unstake is pending.
		NothingToRebond,
		/// Nothing has unlocked yet.
		NothingToWithdraw,
		/// A cooldown has not ended: a jail, a slash's cooldown, or the offence-report window
		/// after the last lease settled or after deregistration.
		InCooldown,
		/// The provider has open leases.
		OpenLeases,
		/// Slash liabilities are unpaid.
		UnpaidLiabilities,
		/// Funds are still bonded or unbonding; unstake and withdraw first.
		FundsStillBonded,
		/// The new key equals the current key.
		SameKey,
		/// Less than `MinHeartbeatInterval` blocks since the last heartbeat.
		HeartbeatTooEarly,
		/// The heartbeat counter is not greater than the last accepted one (a replay).
		StaleHeartbeat,
		/// The heartbeat timestamp is too far from chain time.
		HeartbeatTimestampOutOfWindow,
		/// The heartbeat's attestation hash is not one of the provider's current attestations.
		AttestationMismatch,
		/// The heartbeat report is out of range (availability above 100 %, load above capacity).
		MalformedReport,
		/// The provider is not jailable for silence: it answers, is healthy, is already jailed,
		/// or does not hold itself out (not ACTIVE, nor staked and attested).
		NotUnresponsive,
		/// The provider is not jailed.
		NotJailed,
		/// The provider's attestation is missing or expired.
		AttestationNotCurrent,
		/// No heartbeat within the last interval.
		HeartbeatNotRecent,
		/// Effective health is below the threshold.
		Unhealthy,
		/// SLA breach severity must be 1, 2 or 3.
		InvalidSeverity,
		/// The provider owes nothing.
		NoLiabilities,
		/// The provider is not ACTIVE at this block, so it cannot take a lease.
		ProviderNotActive,
		/// Every lease slot of the provider is taken.
		LeaseQuotaFull,
		/// The provider has no open lease to release.
		NoOpenLease,
		/// Nothing was credited to this provider for this epoch.
		UnknownPayout,
		/// This epoch's earnings were already paid.
		PayoutAlreadyClaimed,
		/// The pot does not hold enough to cover this credit and every unclaimed one.
		PotUnderfunded,
		/// The provider's bond does not cover its minimum stake (and it is not an ACTIVE or
		/// JAILED provider with stake left): it cannot heartbeat.
		HeartbeatWithoutStake,
		/// The heartbeat counter exceeds the last accepted one by more than
		/// `MaxHeartbeatCounterStep`.
		HeartbeatCounterJump,
		/// This block has no room left for the heartbeat: its slots of `MaxHeartbeatsPerBlock`
		/// or its share of `MaxProofsPerBlock`.
		HeartbeatBlockFull,
		/// A governance reason is empty or not printable ASCII.
		InvalidReason,
		/// A governance jail of zero blocks or longer than `MaxGovernanceJailBlocks`.
		InvalidJailDuration,
		/// The evidence attests a capability the provider does not declare (a TEE for a
		/// provider without `ai`, a facility certificate for one without `quantum`).
		EvidenceNotForCapability,
		/// The facility certificate does not certify every trap family the provider declares.
		TrapFamilyNotCertified,
		/// The key's algorithm is `Unspecified` (codec index 0, what a client's default value
		/// encodes): give `MlDsa65` or `SlhDsaSha2_128s`.
		UnsupportedKeyAlgorithm,
		/// A liveness proof for a provider without a liveness chain (none committed, or ended
		/// by a heartbeat without one, a key rotation or deregistration).
		NoLivenessChain,
		/// The liveness proof's preimage is the provider's current anchor: already revealed.
		LivenessProofReplayed,
		/// SHA3-256 of the liveness proof's preimage is not the provider's anchor.
		LivenessProofMismatch,
		/// Every proof of the provider's liveness chain is used: a signed heartbeat commits the
		/// next chain.
		LivenessChainExhausted,
		/// The batch's proofs are not in strictly ascending provider order.
		LivenessProofsNotSorted,
		/// The heartbeat's liveness commitment has length 0 or above `MaxLivenessChain`.
		InvalidLivenessCommitment,
		/// The batch of liveness proofs is empty.
		NoLivenessProofs,
		/// More than `MaxMissedHeartbeats` deadlines passed since the provider's last proof or
		/// heartbeat: only a signed heartbeat brings it back.
		LivenessChainLapsed,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Parameters that would stop every heartbeat or make the grace meaningless.
		fn integrity_test() {
			// Every heartbeat, of either algorithm, must fit an empty block.
			let slh = crate::heartbeat::SLH_DSA_HEARTBEAT_SLOTS;
			assert!(
				T::MaxHeartbeatsPerBlock::get() >= slh,
				"MaxHeartbeatsPerBlock must hold an SLH-DSA heartbeat's slots"
			);
			assert!(
				slh.saturating_mul(T::ProofsPerHeartbeat::get()) <= T::MaxProofsPerBlock::get(),
				"an SLH-DSA heartbeat must fit MaxProofsPerBlock"
			);
			assert!(T::MaxLivenessChain::get() > 0, "MaxLivenessChain must be positive");
			assert!(
				T::MaxProofsPerBatch::get() > 0
					&& T::MaxProofsPerBatch::get() <= T::MaxProofsPerBlock::get(),
				"MaxProofsPerBatch must be positive and fit MaxProofsPerBlock"
			);
			assert!(
				T::MaxHeartbeatCounterStep::get() > 0,
				"MaxHeartbeatCounterStep must be positive"
			);
			assert!(
				T::HeartbeatGrace::get() < T::HeartbeatInterval::get(),
				"HeartbeatGrace must be shorter than HeartbeatInterval"
			);
			// A forced deregistration moves the bond to an unbonding chunk: there must be one.
			assert!(T::MaxUnbondingChunks::get() > 0, "MaxUnbondingChunks must be positive");
		}

		/// Bounded sweep for unresponsive providers in the block's leftover weight.
		fn on_idle(_n: BlockNumberFor<T>, remaining: Weight) -> Weight {
			let mut meter = WeightMeter::with_limit(remaining);
			// The cursor read and write.
			if meter.try_consume(T::DbWeight::get().reads_writes(1, 1)).is_err() {
				return Weight::zero();
			}
			Self::sweep(&mut meter);
			meter.consumed()
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register a provider: its registry key, capabilities and public metadata.
		///
		/// Origin: signed; the signer becomes the controller. `pop_signature` is the registry
		/// key's signature over the canonical registration payload (genesis hash, derived id,
		/// controller, algorithm). Status starts REGISTERED.
		///
		/// Errors: [`Error::UnsupportedKeyAlgorithm`], [`Error::InvalidPublicKey`],
		/// [`Error::KeyAlreadyRegistered`],
		/// [`Error::ProviderAlreadyRegistered`], [`Error::BadProofOfPossession`],
		/// [`Error::InvalidCapabilities`], [`Error::InvalidRegion`], [`Error::InvalidEndpoint`],
		/// [`Error::InvalidContact`], [`Error::TooManyProviders`], [`Error::InsufficientBalance`]
		/// (the controller cannot hold [`Config::RegistrationDeposit`]).
		/// Events: [`Event::Registered`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_ml_dsa().max(T::WeightInfo::register_slh_dsa()))]
		pub fn register(
			origin: OriginFor<T>,
			key: RegistryPublicKey,
			pop_signature: SignatureBytes,
			capabilities: Capabilities,
			region: Region,
			endpoint: Endpoint,
			contact: Contact,
		) -> DispatchResultWithPostInfo {
			let controller = ensure_signed(origin)?;
			let weight = Self::register_weight(key.alg);
			Self::do_register(
				controller,
				key,
				pop_signature,
				capabilities,
				region,
				endpoint,
				contact,
			)?;
			Ok(Some(weight).into())
		}

		/// Replace the provider's capabilities; eligibility is re-evaluated in the same call.
		///
		/// Origin: the provider's controller. `signature`: registry key over the update payload
		/// (key 4 = capabilities) with the current key nonce.
		///
		/// Errors: [`Error::UnknownProvider`], [`Error::NotController`],
		/// [`Error::ProviderDeregistered`], [`Error::InvalidCapabilities`],
		/// [`Error::BadSignature`]. Events: [`Event::CapabilitiesUpdated`], maybe
		/// [`Event::StatusChanged`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_capabilities().saturating_add(Pallet::<T>::slh_verify_extra()))]
		pub fn update_capabilities(
			origin: OriginFor<T>,
			provider: ProviderId,
			capabilities: Capabilities,
			signature: SignatureBytes,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update(who, provider, lifecycle::Update::Capabilities(capabilities), signature)
		}

		/// Replace the provider's endpoint and, if given, its contact.
		///
		/// Origin: the provider's controller. `signature`: registry key over the update payload
		/// (key 6 = endpoint, key 7 = contact if given) with the current key nonce.
		///
		/// Errors: [`Error::UnknownProvider`], [`Error::NotController`],
		/// [`Error::ProviderDeregistered`], [`Error::InvalidEndpoint`], [`Error::InvalidContact`],
		/// [`Error::BadSignature`]. Events: [`Event::EndpointUpdated`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::update_endpoint().saturating_add(Pallet::<T>::slh_verify_extra()))]
		pub fn update_endpoint(
			origin: OriginFor<T>,
			provider: ProviderId,
			endpoint: Endpoint,
			contact: Option<Contact>,
			signature: SignatureBytes,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update(
				who,
				provider,
				lifecycle::Update::Endpoint(endpoint, contact),
				signature,
			)
		}

		/// Replace the provider's region; eligibility is re-evaluated in the same call.
		///
		/// Origin: the provider's controller. `signature`: registry key over the update payload
		/// (key 5 = region) with the current key nonce.
		///
		/// Errors: [`Error::UnknownProvider`], [`Error::NotController`],
		/// [`Error::ProviderDeregistered`], [`Error::InvalidRegion`], [`Error::BadSignature`].
		/// Events: [`Event::RegionUpdated`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::update_region().saturating_add(Pallet::<T>::slh_verify_extra()))]
		pub fn update_region(
			origin: OriginFor<T>,
			provider: ProviderId,
			region: Region,
			signature: SignatureBytes,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update(who, provider, lifecycle::Update::Region(region), signature)
		}

		/// Rotate the registry key. The id stays; the old key can never be registered again.
		///
		/// Origin: the provider's controller. Both keys sign the rotation payload (current key
		/// nonce, new algorithm, new key).
		///
		/// Errors: [`Error::UnknownProvider`], [`Error::NotController`],
		/// [`Error::ProviderDeregistered`], [`Error::UnsupportedKeyAlgorithm`],
		/// [`Error::InvalidPublicKey`], [`Error::SameKey`],
		/// [`Error::KeyAlreadyRegistered`], [`Error::BadSignature`],
		/// [`Error::BadNewKeySignature`]. Events: [`Event::KeyRotated`].
		#[pallet::call_index(4)]
		#[pallet::weight(Pallet::<T>::rotate_key_weight(new_key))]
		pub fn rotate_key(
			origin: OriginFor<T>,
			provider: ProviderId,
			new_key: RegistryPublicKey,
			signature_by_old: SignatureBytes,
			signature_by_new: SignatureBytes,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_rotate_key(who, provider, new_key, signature_by_old, signature_by_new)
		}

		/// Bond `amount` more stake (first stake or top-up); resets the lock.
		///
		/// Origin: the provider's controller, whose funds are held.
		///
		/// Errors: [`Error::UnknownProvider`], [`Error::NotController`],
		/// [`Error::ProviderDeregistered`], [`Error::ZeroAmount`], [`Error::InsufficientBalance`].
		/// Events: [`Event::Staked`], maybe [`Event::StatusChanged`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::stake())]
		pub fn stake(
			origin: OriginFor<T>,
			provider: ProviderId,
			amount: T::Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_stake(who, provider, amount)
		}

		/// Request to unstake `amount`: status becomes UNSTAKING; the amount unlocks linearly
		/// over `UnbondingBlocks` from `max(now, lock_until)`.
		///
		/// Origin: the provider's controller.
		///
		/// Errors: [`Error::UnknownProvider`], [`Error::NotController`],
		/// [`Error::ProviderDeregistered`], [`Error::ZeroAmount`], [`Error::InsufficientBonded`],
		/// [`Error::TooManyUnbondingChunks`]. Events: [`Event::Unbonding`],
		/// [`Event::StatusChanged`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::unstake())]
		pub fn unstake(
			origin: OriginFor<T>,
			provider: ProviderId,
			amount: T::Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unstake(who, provider, amount)
		}

		/// Cancel every pending unstake: what is not yet withdrawn is bonded again.
		///
		/// Origin: the provider's controller.
		///
		/// Errors: [`Error::UnknownProvider`], [`Error::NotController`],
		/// [`Error::ProviderDeregistered`], [`Error::NothingToRebond`]. Events:
		/// [`Event::Rebonded`], [`Event::StatusChanged`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::rebond())]
		pub fn rebond(origin: OriginFor<T>, provider: ProviderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_rebond(who, provider)
		}

		/// Release everything that has unlocked to the controller's free balance.
		///
		/// Origin: the provider's controller. Refused during a cooldown and while liabilities
		/// are unpaid. When the last unstake request is fully withdrawn, UNSTAKING ends.
		///
		/// Refused while leases are open, and until [`Config::OffenceReportWindow`] after the
		/// last one settled (or after deregistration, or the end of a slash's cooldown): a
		/// provider cannot unstake and withdraw faster than an offence can be reported.
		///
		/// It first closes the provider's SLA window if that has ended ([`crate::sla`]): if
		/// the window was a breach, its penalty is applied and the call ends there (successful,
		/// nothing withdrawn; events `SlaWindowClosed`, `OffenceReported`, `Slashed`).
		///
		/// Errors: [`Error::UnknownProvider`], [`Error::NotController`], [`Error::OpenLeases`],
		/// [`Error::InCooldown`], [`Error::UnpaidLiabilities`], [`Error::NothingToWithdraw`].
		/// Events: [`Event::Withdrawn`], maybe [`Event::StatusChanged`].
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::withdraw().saturating_add(T::WeightInfo::close_sla_window()))]
		pub fn withdraw(origin: OriginFor<T>, provider: ProviderId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let breached = Self::do_withdraw(who, provider)?;
			// Without a breach the closing was at most a read and a write of the SLA record.
			Ok((!breached)
				.then(|| {
					T::WeightInfo::withdraw().saturating_add(T::DbWeight::get().reads_writes(2, 1))
				})
				.into())
		}

		/// Deregister: status DEREGISTERED, record kept for audit, the controller slot freed.
		///
		/// Origin: the provider's controller. Refused while leases are open, liabilities are
		/// unpaid, or any funds are bonded or unbonding (spec §9: unstake, wait, withdraw, then
		/// deregister). Offences can still be reported against the provider for
		/// [`Config::OffenceReportWindow`] blocks after it (recorded as liabilities).
		///
		/// Errors: [`Error::UnknownProvider`], [`Error::NotController`],
		/// [`Error::ProviderDeregistered`], [`Error::OpenLeases`], [`Error::UnpaidLiabilities`],
		/// [`Error::FundsStillBonded`]. Events: [`Event::StatusChanged`], [`Event::Deregistered`].
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::deregister())]
		pub fn deregister(origin: OriginFor<T>, provider: ProviderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deregister(who, provider)
		}

		/// Record a heartbeat signed by the provider's registry key. No account, no fee.
		///
		/// Origin: a general transaction authorized by `#[pallet::authorize]`, or a bare
		/// (unsigned) extrinsic; both run [`Pallet::validate_heartbeat`]. `signature` is over the
		/// canonical heartbeat payload built from `heartbeat` and the genesis hash.
		///
		/// Errors: [`Error::UnknownProvider`], [`Error::ProviderDeregistered`],
		/// [`Error::HeartbeatTooEarly`], [`Error::StaleHeartbeat`],
		/// [`Error::HeartbeatTimestampOutOfWindow`], [`Error::AttestationMismatch`],
		/// [`Error::MalformedReport`], [`Error::BadSignature`] (in the pool, the matching
		/// `InvalidTransaction` codes of [`HeartbeatRejection`]). Events:
		/// [`Event::HeartbeatReceived`], maybe [`Event::Jailed`], [`Event::StatusChanged`].
		#[pallet::call_index(10)]
		#[pallet::weight(Pallet::<T>::heartbeat_worst_weight())]
		#[pallet::authorize(|_source, heartbeat, signature| {
			Pallet::<T>::validate_heartbeat_with_alg(heartbeat, signature)
				.map(|(v, alg)| (v, Pallet::<T>::authorize_heartbeat_unspent(alg)))
				.map_err(Into::into)
		})]
		#[pallet::weight_of_authorize(Pallet::<T>::authorize_heartbeat_worst())]
		pub fn heartbeat(
			origin: OriginFor<T>,
			heartbeat: Heartbeat,
			signature: SignatureBytes,
		) -> DispatchResultWithPostInfo {
			// An authorized origin exists only after `AuthorizeCall` ran `validate_heartbeat`
			// (signature included) in this same block execution: do not verify twice. The
			// bare path's in-block check (`pre_dispatch`) skips the signature (verified here,
			// once, and weighed) and has already taken the heartbeat's slot of the budget.
			let authorized = ensure_authorized(origin.clone()).is_ok();
			if !authorized {
				ensure_none(origin)?;
			}
			let (alg, status_changed) =
				Self::do_heartbeat(heartbeat, (!authorized).then_some(&signature), !authorized)?;
			Ok((Some(Self::heartbeat_weight(authorized, alg, status_changed)), Pays::No).into())
		}

		/// Jail a provider that has been silent too long or is unhealthy. Anyone may call it;
		/// it is free when the report is true and fails (fee paid) when it is not.
		///
		/// Origin: signed. Errors: [`Error::UnknownProvider`], [`Error::NotUnresponsive`].
		/// Events: [`Event::Jailed`], [`Event::StatusChanged`].
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::report_unresponsive())]
		pub fn report_unresponsive(
			origin: OriginFor<T>,
			provider: ProviderId,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			Self::do_report_unresponsive(provider)?;
			Ok(Pays::No.into())
		}

		/// Leave jail after the cooldown, when stake, attestation, a recent heartbeat and health
		/// allow it.
		///
		/// Origin: the provider's controller. Errors: [`Error::UnknownProvider`],
		/// [`Error::NotController`], [`Error::ProviderDeregistered`], [`Error::NotJailed`],
		/// [`Error::InCooldown`], [`Error::InsufficientBonded`],
		/// [`Error::AttestationNotCurrent`], [`Error::HeartbeatNotRecent`], [`Error::Unhealthy`].
		/// Events: [`Event::Unjailed`], [`Event::StatusChanged`].
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::unjail())]
		pub fn unjail(origin: OriginFor<T>, provider: ProviderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unjail(who, provider)
		}

		/// Apply the configured penalty for `offence` (governance's direct route; pallets use
		/// [`aicf_primitives::traits::ProviderPenalties`]). A deregistered provider can still be
		/// penalised while it holds stake, and until its cooldown ends
		/// ([`Config::OffenceReportWindow`] after it deregistered or its last lease settled):
		/// what its held funds cannot cover becomes a liability; it is not jailed, and the
		/// report does not extend its window.
		///
		/// Origin: [`Config::GovernanceOrigin`]. Errors: [`Error::UnknownProvider`],
		/// [`Error::ProviderDeregistered`], [`Error::InvalidSeverity`]. Events:
		/// [`Event::OffenceReported`], [`Event::Slashed`], maybe [`Event::Jailed`].
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::report_offence())]
		pub fn report_offence(
			origin: OriginFor<T>,
			provider: ProviderId,
			offence: Offence,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_report_offence(provider, offence)
		}

		/// Pay up to `amount` of the provider's slash liabilities from the controller's free
		/// balance to the slash destination.
		///
		/// Origin: the provider's controller. Errors: [`Error::UnknownProvider`],
		/// [`Error::NotController`], [`Error::ZeroAmount`], [`Error::NoLiabilities`],
		/// [`Error::InsufficientBalance`]. Events: [`Event::LiabilityPaid`].
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::pay_liability())]
		pub fn pay_liability(
			origin: OriginFor<T>,
			provider: ProviderId,
			amount: T::Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_pay_liability(who, provider, amount)
		}

		/// Replace the network's region policy: jobs run only in `allowed` regions (all, if
		/// empty) and never in `denied` ones. Statuses do not change; eligibility checks and
		/// `candidates` apply it from the next call.
		///
		/// Origin: [`Config::GovernanceOrigin`]. Errors: [`Error::InvalidRegion`]. Events:
		/// [`Event::RegionPolicySet`].
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::set_region_policy(
			(allowed.len() as u32).saturating_add(denied.len() as u32)
		))]
		pub fn set_region_policy(
			origin: OriginFor<T>,
			allowed: BoundedVec<Region, T::MaxRegionPolicy>,
			denied: BoundedVec<Region, T::MaxRegionPolicy>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_region_policy(allowed, denied)
		}

		/// Pay `epoch`'s credited earnings of `provider` from the pot to its controller, once.
		///
		/// Origin: [`Config::OpsOrigin`]. Refused while the provider has unpaid liabilities.
		///
		/// Errors: [`Error::UnknownProvider`], [`Error::UnknownPayout`],
		/// [`Error::PayoutAlreadyClaimed`], [`Error::UnpaidLiabilities`]. Events:
		/// [`Event::PayoutClaimed`].
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::claim_payout())]
		pub fn claim_payout(
			origin: OriginFor<T>,
			provider: ProviderId,
			epoch: u64,
		) -> DispatchResult {
			T::OpsOrigin::ensure_origin(origin)?;
			Self::do_claim_payout(provider, epoch)
		}

		/// Jail a provider for `duration` blocks without a slash (spec §5: JAILED entered by
		/// admin), e.g. while a report is investigated. The provider is ineligible at once, its
		/// funds are not released before the jail ends, and its controller can `unjail` after
		/// it under the usual conditions. Jailing a jailed provider extends the jail to the
		/// later end.
		///
		/// Origin: [`Config::GovernanceOrigin`]. Errors: [`Error::InvalidReason`],
		/// [`Error::InvalidJailDuration`] (0, or above [`Config::MaxGovernanceJailBlocks`]),
		/// [`Error::UnknownProvider`],
		/// [`Error::ProviderDeregistered`]. Events: [`Event::Jailed`], [`Event::ForceJailed`],
		/// maybe [`Event::StatusChanged`].
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::force_jail())]
		pub fn force_jail(
			origin: OriginFor<T>,
			provider: ProviderId,
			duration: BlockNumberFor<T>,
			reason: GovernanceReason,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_force_jail(provider, duration, reason)
		}

		/// Deregister a provider for policy or compliance (spec §9), whatever its state: its
		/// open leases are released (as governance's act, not the provider's fault: no
		/// offence), its bonded stake starts unbonding, its registration deposit is returned,
		/// and its record is kept. Its funds are released no earlier than
		/// [`Config::OffenceReportWindow`] after this call, and offences can be reported
		/// against it until then.
		///
		/// Origin: [`Config::GovernanceOrigin`]. Errors: [`Error::InvalidReason`],
		/// [`Error::UnknownProvider`], [`Error::ProviderDeregistered`]. Events:
		/// [`Event::ForceDeregistered`], maybe [`Event::Unbonding`], [`Event::StatusChanged`],
		/// [`Event::Deregistered`].
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::force_deregister())]
		pub fn force_deregister(
			origin: OriginFor<T>,
			provider: ProviderId,
			reason: GovernanceReason,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_force_deregister(provider, reason)
		}

		/// Prove providers alive with hash-chain preimages ([`crate::proofs`]): each item
		/// reveals the preimage of its provider's stored anchor. No account, no fee; anyone may
		/// submit any provider's proofs (a copied proof proves the same provider alive).
		///
		/// Origin: a bare (unsigned) extrinsic. The pool admits a batch only if every item is
		/// valid ([`Pallet::check_proofs`]); in the block an item that became invalid since is
		/// skipped and weighed, and a batch with no valid item is refused. Items in strictly
		/// ascending provider order, at most `MaxProofsPerBatch`.
		///
		/// Errors: [`Error::NoLivenessProofs`], [`Error::LivenessProofsNotSorted`],
		/// [`Error::HeartbeatBlockFull`], [`Error::NoLivenessChain`],
		/// [`Error::HeartbeatTooEarly`], [`Error::LivenessChainLapsed`],
		/// [`Error::LivenessChainExhausted`], [`Error::LivenessProofReplayed`],
		/// [`Error::LivenessProofMismatch`] (in the pool, the matching codes of
		/// [`HeartbeatRejection`]). Event: [`Event::LivenessProven`].
		#[pallet::call_index(19)]
		#[pallet::weight((Pallet::<T>::prove_liveness_weight(proofs.len() as u32), DispatchClass::Normal, Pays::No))]
		pub fn prove_liveness(
			origin: OriginFor<T>,
			proofs: BoundedVec<aicf_primitives::liveness::LivenessProof, T::MaxProofsPerBatch>,
		) -> DispatchResult {
			ensure_none(origin)?;
			Self::do_prove_liveness(&proofs, true)
		}
	}

	/// Bare heartbeats (the path for clients that cannot yet build general transactions). The
	/// checks are those of the authorized path: [`Pallet::validate_heartbeat`].
	/// `ValidateUnsigned` is deprecated but supported until April 2027; polkadot-sdk's own
	/// claims pallet keeps the same dual path while clients catch up.
	#[allow(deprecated)]
	#[pallet::validate_unsigned]
	impl<T: Config> ValidateUnsigned for Pallet<T> {
		type Call = Call<T>;

		fn validate_unsigned(_source: TransactionSource, call: &Self::Call) -> TransactionValidity {
			match call {
				Call::heartbeat { heartbeat, signature } => {
					Self::validate_heartbeat(heartbeat, signature).map_err(Into::into)
				},
				Call::prove_liveness { proofs } => Self::validate_proofs(proofs),
				_ => InvalidTransaction::Call.into(),
			}
		}

		/// In a block: every check but the signature, which the call verifies (weighed).
		fn pre_dispatch(call: &Self::Call) -> Result<(), TransactionValidityError> {
			match call {
				Call::heartbeat { heartbeat, signature } => {
					Self::pre_dispatch_heartbeat(heartbeat, signature).map_err(Into::into)
				},
				Call::prove_liveness { proofs } => {
					Self::pre_dispatch_proofs(proofs).map_err(Into::into)
				},
				_ => Err(InvalidTransaction::Call.into()),
			}
		}
	}

	impl<T: Config> Pallet<T> {
		/// Check the pallet's invariants (see [`invariants`](crate::invariants)).
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			crate::invariants::check::<T>()
		}
	}
}
