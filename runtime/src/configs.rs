//! Pallet configurations of the AICF runtime.
//!
//! Block limits: 2 s of reference compute per 6 s block ([`MAXIMUM_BLOCK_WEIGHT`]), 5 MiB of
//! block length ([`MAXIMUM_BLOCK_LENGTH`]), 75 % of both available to normal (non-operational)
//! dispatches ([`NORMAL_DISPATCH_RATIO`]). Database weights are ParityDB's, the node's only
//! database backend.

use frame_support::PalletId;
use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, VariantCountOf},
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		ConstantMultiplier, IdentityFee, Weight,
	},
};
use frame_system::limits::{BlockLength, BlockWeights};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{
	traits::{AccountIdConversion, One},
	transaction_validity::TransactionPriority,
	Perbill,
};
use sp_version::RuntimeVersion;

use super::{
	currency::{EXISTENTIAL_DEPOSIT, TRANSACTION_BYTE_FEE},
	AccountId, AicfRegistry, Aura, Balance, Balances, Block, BlockNumber, Hash, Nonce, PalletInfo,
	Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin,
	RuntimeTask, System, Timestamp, DAYS, MINUTES, VERSION,
};

/// Share of the block weight and length available to `Normal` dispatches; the rest is
/// reserved for `Operational` ones (e.g. sudo, GRANDPA equivocation reports).
pub const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// Maximum block weight: 2 seconds of reference-hardware compute (one third of the 6 s block
/// time), unbounded proof size (solo chain, no PoV).
pub const MAXIMUM_BLOCK_WEIGHT: Weight =
	Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND.saturating_mul(2), u64::MAX);

/// Maximum encoded block length: 5 MiB.
pub const MAXIMUM_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

/// Number of recent block hashes kept in state (`BlockHash` map) for mortal transactions.
pub const BLOCK_HASH_COUNT: BlockNumber = 2400;

/// Maximum number of Aura / GRANDPA authorities.
pub const MAX_AUTHORITIES: u32 = 32;

parameter_types! {
	/// See [`BLOCK_HASH_COUNT`].
	pub const BlockHashCount: BlockNumber = BLOCK_HASH_COUNT;
	/// The runtime version, exposed through `frame_system`.
	pub const Version: RuntimeVersion = VERSION;

	/// Block weight limits: [`MAXIMUM_BLOCK_WEIGHT`], [`NORMAL_DISPATCH_RATIO`] for normal
	/// dispatches.
	pub RuntimeBlockWeights: BlockWeights =
		BlockWeights::with_sensible_defaults(MAXIMUM_BLOCK_WEIGHT, NORMAL_DISPATCH_RATIO);
	/// Block length limits: [`MAXIMUM_BLOCK_LENGTH`], [`NORMAL_DISPATCH_RATIO`] for normal
	/// dispatches.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAXIMUM_BLOCK_LENGTH)
		.modify_max_length_for_class(DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO.mul_floor(*max)
		})
		.build();
	/// Generic Substrate SS58 prefix (42).
	pub const SS58Prefix: u8 = 42;
}

/// Defaults come from [`frame_system::config_preludes::SolochainDefaultConfig`]; the types
/// below override them.
#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	/// The block type for the runtime.
	type Block = Block;
	/// Block & extrinsics weights: base values and limits.
	type BlockWeights = RuntimeBlockWeights;
	/// The maximum length of a block (in bytes).
	type BlockLength = RuntimeBlockLength;
	/// The identifier used to distinguish between accounts.
	type AccountId = AccountId;
	/// The type for storing how many extrinsics an account has signed.
	type Nonce = Nonce;
	/// The type for hashing blocks and tries.
	type Hash = Hash;
	/// Maximum number of block number to block hash mappings to keep (oldest pruned first).
	type BlockHashCount = BlockHashCount;
	/// The weight of database operations that the runtime can invoke: ParityDB, the node's
	/// database.
	type DbWeight = ParityDbWeight;
	/// Version of the runtime.
	type Version = Version;
	/// The data to be stored in an account.
	type AccountData = pallet_balances::AccountData<Balance>;
	/// Generic Substrate address format.
	type SS58Prefix = SS58Prefix;
	/// Maximum number of consumer references (holds, locks, ...) per account.
	type MaxConsumers = ConstU32<16>;
	/// frame-system's generated weights.
	type SystemWeightInfo = frame_system::weights::SubstrateWeight<Runtime>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// pallet-grandpa ships its weights only as the `()` implementation (computed from the
	/// database weights); there is no generated `SubstrateWeight` to use instead.
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	/// No session/historical pallet: equivocations cannot be proven on chain.
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
	/// A timestamp: milliseconds since the unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	/// Aura's slot duration is `2 * MinimumPeriod` (see `pallet_aura::Config::SlotDuration`):
	/// the genesis parameter `ConsensusParams::slot_duration_ms` (6 s; 1 s on `dev-fast`).
	type MinimumPeriod = crate::parameters::MinimumPeriod;
	type WeightInfo = pallet_timestamp::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// See [`EXISTENTIAL_DEPOSIT`].
	pub const ExistentialDeposit: Balance = EXISTENTIAL_DEPOSIT;
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	/// The type for recording an account's balance.
	type Balance = Balance;
	/// The ubiquitous event type.
	type RuntimeEvent = RuntimeEvent;
	/// Dust of reaped accounts is burned.
	type DustRemoval = ();
	type ExistentialDeposit = ExistentialDeposit;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	/// Constant fee multiplier of one: fees do not react to block fullness.
	pub FeeMultiplier: Multiplier = Multiplier::one();
	/// See [`TRANSACTION_BYTE_FEE`].
	pub const TransactionByteFee: Balance = TRANSACTION_BYTE_FEE;
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Fees are withdrawn from the sender's free balance and burned (no treasury).
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	/// One planck per picosecond of reference compute (~0.0002 AICF for a transfer).
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

impl pallet_parameters::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeParameters = crate::parameters::RuntimeParameters;
	/// Nobody: the registry's parameters change through `ParametersAdmin::set_registry`
	/// (checked), the consensus ones at genesis only.
	type AdminOrigin = crate::parameters::ParametersOrigin;
	/// pallet-parameters publishes no `SubstrateWeight` (its weights module is private): its
	/// default weights, measured by the pallet's authors on reference hardware.
	type WeightInfo = ();
}

impl crate::parameters::parameters_admin::Config for Runtime {
	type RegistryAdminOrigin = frame_system::EnsureRoot<AccountId>;
}

pub use crate::parameters::deposit;
pub use crate::parameters::{
	HealthDecayPerInterval, HealthSmoothing, HealthThreshold, HeartbeatGrace, HeartbeatInterval,
	JailCooldownBlocks, MaxHeartbeatsPerBlock, MaxMissedHeartbeats, MinHeartbeatInterval,
	MinInvalidProofSlash, MinStakeAi, MinStakeQuantum, OffenceCooldownBlocks, OffenceReportWindow,
	RegistrationDeposit, Sla, StakeLockBlocks, UnbondingBlocks,
};

// The registry's economic and liveness parameters (deposit, stakes, periods, health) are
// governance parameters: `crate::parameters::RegistryParams`, defaults
// `RegistryParams::SHIPPED`.
parameter_types! {
	/// A heartbeat counter moves forward by at most 1 000 (the `aicf` tool steps by 1).
	pub const MaxHeartbeatCounterStep: u64 = 1_000;
	/// Base pool priority of heartbeats (plus the blocks since the provider's last one): they
	/// outrank ordinary transactions, within the per-block budget below.
	pub const HeartbeatPriority: TransactionPriority = TransactionPriority::MAX / 2;
	/// The QoS window: the last 12 heartbeat reports (two hours at one per interval), 72 bytes
	/// a provider.
	pub const QosWindowLen: u32 = 12;
	/// A liveness hash chain holds at most 23 proofs: with the heartbeat that commits it, one
	/// signed heartbeat (with its report) every 4 hours at the 10-minute interval, 44-byte
	/// proofs between — what a million providers need (docs/PERFORMANCE.md §10: ≈ 417 signed
	/// heartbeats and ≈ 9 583 proofs a block). Clients may commit shorter chains.
	pub const MaxLivenessChain: u32 = 23;
	/// Up to 2 000 proofs in one `prove_liveness` batch (≈ 88 KB).
	pub const MaxProofsPerBatch: u32 = 2_000;
	/// Up to 15 000 liveness proofs a block, a signed heartbeat counting as 12 of them per
	/// slot of the heartbeat budget it takes (its weight over a proof's: the heavier form, a
	/// general transaction with its authorization, ≈ 957 µs charged against ≈ 86 µs): free
	/// liveness traffic takes at most ≈ 1.3 s of the 1.5 s of normal weight, and with the
	/// 1 000-slot heartbeat budget at most ≈ 3.6 MB of the 3.75 MB of normal length
	/// (docs/PERFORMANCE.md §4, §10; the runtime test
	/// `signed_heartbeats_and_proofs_share_the_block_budget_at_the_shipped_parameters`).
	pub const MaxProofsPerBlock: u32 = 15_000;
	/// See `MaxProofsPerBlock`.
	pub const ProofsPerHeartbeat: u32 = 12;
	/// The AICF treasury pot: receives slashes and paid liabilities.
	pub AicfTreasuryAccount: AccountId = AICF_TREASURY_PALLET_ID.into_account_truncating();
	/// The registry's payout pot: settlement funds it, `claim_payout` pays from it.
	pub const RegistryPalletId: PalletId = AICF_PAYOUT_PALLET_ID;
}

/// Pallet id whose account is the registry's payout pot.
pub const AICF_PAYOUT_PALLET_ID: PalletId = PalletId(*b"aicf/pay");

/// Pallet id whose account is the AICF treasury pot.
pub const AICF_TREASURY_PALLET_ID: PalletId = PalletId(*b"aicf/trs");

impl pallet_aicf_registry::Config for Runtime {
	type Currency = Balances;
	type Balance = Balance;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RegistrationDeposit = RegistrationDeposit;
	type MinStakeAi = MinStakeAi;
	type MinStakeQuantum = MinStakeQuantum;
	type StakeLockBlocks = StakeLockBlocks;
	type UnbondingBlocks = UnbondingBlocks;
	type UnixTime = Timestamp;
	type HeartbeatInterval = HeartbeatInterval;
	type MinHeartbeatInterval = MinHeartbeatInterval;
	type HeartbeatGrace = HeartbeatGrace;
	type MaxHeartbeatCounterStep = MaxHeartbeatCounterStep;
	type MaxMissedHeartbeats = MaxMissedHeartbeats;
	/// Heartbeat timestamps may be 5 minutes off chain time.
	type HeartbeatTimestampWindow = ConstU64<300>;
	type HealthDecayPerInterval = HealthDecayPerInterval;
	type HealthSmoothing = HealthSmoothing;
	type HealthThreshold = HealthThreshold;
	type JailCooldownBlocks = JailCooldownBlocks;
	type OffenceReportWindow = OffenceReportWindow;
	// 30 days.
	type MaxGovernanceJailBlocks = ConstU32<{ 30 * crate::DAYS }>;
	type HeartbeatPriority = HeartbeatPriority;
	type MaxSweepPerBlock = ConstU32<100>;
	type MaxHeartbeatsPerBlock = MaxHeartbeatsPerBlock;
	type MaxLivenessChain = MaxLivenessChain;
	type MaxProofsPerBatch = MaxProofsPerBatch;
	type MaxProofsPerBlock = MaxProofsPerBlock;
	type ProofsPerHeartbeat = ProofsPerHeartbeat;
	type QosWindowLen = QosWindowLen;
	type MaxConcurrentLeases = ConstU32<64>;
	type Sla = Sla;
	type MaxProvidersPerController = ConstU32<16>;
	type MaxUnbondingChunks = ConstU32<16>;
	type PenaltyPolicy =
		pallet_aicf_registry::DefaultPenaltyPolicy<OffenceCooldownBlocks, MinInvalidProofSlash>;
	type SlashDestination = AicfTreasuryAccount;
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId>;
	// A matcher asking for `limit` candidates reads at most `limit + 32` index entries.
	type MaxCandidateSkips = ConstU32<32>;
	type MaxRegionPolicy = ConstU32<32>;
	type PalletId = RegistryPalletId;
	// Payouts are paid by governance on this chain (sudo on the dev chain).
	type OpsOrigin = frame_system::EnsureRoot<AccountId>;
	type WeightInfo = pallet_aicf_registry::weights::SubstrateWeight<Runtime>;
}

/// Pallet id whose account is the jobs pallet's escrow.
pub const AICF_JOBS_PALLET_ID: PalletId = PalletId(*b"aicf/job");

parameter_types! {
	/// The registry's payout pot, which completed leases pay into.
	pub RegistryPot: AccountId = AICF_PAYOUT_PALLET_ID.into_account_truncating();
	/// The jobs pallet's escrow.
	pub const JobsPalletId: PalletId = AICF_JOBS_PALLET_ID;
	/// A request asks the registry for 4 candidates and tries each: the registry walks at most
	/// 4 + `MaxCandidateSkips` index entries and grants at most 4 acquisitions.
	pub MatchWeight: Weight = {
		use pallet_aicf_registry::WeightInfo as _;
		type W = pallet_aicf_registry::weights::SubstrateWeight<Runtime>;
		W::candidates(4 + 32).saturating_add(W::acquire_lease().saturating_mul(4))
	};
	/// A settlement may close the provider's ended SLA window as a breach.
	pub SettlementWeight: Weight = {
		use pallet_aicf_registry::WeightInfo as _;
		pallet_aicf_registry::weights::SubstrateWeight::<Runtime>::close_sla_window()
	};
}

impl pallet_aicf_jobs::Config for Runtime {
	type Currency = Balances;
	type Balance = Balance;
	type Eligibility = AicfRegistry;
	type Leases = AicfRegistry;
	type Payouts = AicfRegistry;
	type Controllers = AicfRegistry;
	type PayoutPot = RegistryPot;
	type PalletId = JobsPalletId;
	// Settlement epochs of one day.
	type EpochBlocks = ConstU32<DAYS>;
	// At least one heartbeat interval (10 minutes), at most a week.
	type MinLeaseBlocks = ConstU32<100>;
	type MaxLeaseBlocks = ConstU32<{ 7 * DAYS }>;
	type MinLeasePrice = ConstU128<{ 100 * crate::currency::MILLI_AICF }>;
	type MaxDeadlinesPerBlock = ConstU32<64>;
	type CandidatesPerRequest = ConstU32<4>;
	type MaxRequestRegions = ConstU32<8>;
	type MatchWeight = MatchWeight;
	type SettlementWeight = SettlementWeight;
	type WeightInfo = pallet_aicf_jobs::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = JobsBenchmarkHelper;
}

/// Benchmark setup of the jobs pallet on this runtime: fresh ACTIVE providers from the
/// registry's benchmark helper, attested through the registry's `AttestationSink`.
#[cfg(feature = "runtime-benchmarks")]
pub struct JobsBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_aicf_jobs::BenchmarkHelper<AccountId, Balance> for JobsBenchmarkHelper {
	fn leasable_provider(
	) -> (aicf_primitives::ProviderId, AccountId, aicf_primitives::traits::JobRequirements<Balance>)
	{
		use aicf_primitives::traits::{
			AttestationRecord, AttestationSink, CapabilityRequirement, EvidenceKind,
			JobRequirements,
		};
		use frame_support::traits::fungible::Mutate;
		let n = pallet_aicf_registry::ProviderCount::<Runtime>::get();
		let mut seed = [0x5A; 32];
		seed[..4].copy_from_slice(&n.to_le_bytes());
		let controller = AccountId::new(seed);
		let _ = Balances::mint_into(&controller, 1_000 * crate::currency::AICF);
		let id = AicfRegistry::benchmark_provider_awaiting_attestation(controller.clone(), seed)
			.unwrap_or_else(|e| panic!("benchmark provider: {e:?}"));
		let now = System::block_number();
		let record = AttestationRecord {
			evidence_hash: [1; 32],
			kind: EvidenceKind::TdxDcap,
			measurement: [0; 48],
			updated_height: now,
			version: 1,
			expires_at: now.saturating_add(DAYS),
			not_after: u64::MAX,
			trap_families: Default::default(),
		};
		<AicfRegistry as AttestationSink<BlockNumber>>::attestation_verified(&id, record)
			.unwrap_or_else(|e| panic!("benchmark attestation: {e:?}"));
		let model = pallet_aicf_registry::Providers::<Runtime>::get(id)
			.and_then(|r| r.capabilities.ai)
			.and_then(|ai| ai.models.first().cloned())
			.unwrap_or_default();
		let requirements = JobRequirements {
			capability: CapabilityRequirement::Ai { model },
			regions: alloc::vec::Vec::new(),
			min_health: sp_runtime::Permill::zero(),
			min_stake: 0,
			max_rtt_ms: None,
		};
		(id, controller, requirements)
	}
	fn fund(who: &AccountId, amount: Balance) {
		use frame_support::traits::fungible::Mutate;
		let _ = Balances::mint_into(who, amount.saturating_mul(10).saturating_add(AICF_ED));
	}
}

/// The existential deposit, for funding benchmark accounts above it.
#[cfg(feature = "runtime-benchmarks")]
const AICF_ED: Balance = EXISTENTIAL_DEPOSIT;

parameter_types! {
	/// An attestation counts for at most one day (14 400 blocks), then must be renewed.
	pub const AttestationMaxValidity: BlockNumber = 24 * 60 * MINUTES;
}

impl pallet_aicf_attestation::Config for Runtime {
	type Registry = AicfRegistry;
	type UnixTime = Timestamp;
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId>;
	// A TDX quote with its PCK chain is ~5 KiB; an SEV-SNP bundle ~4.5 KiB.
	type MaxEvidenceLen = ConstU32<16_384>;
	// Intel collateral JSON is ~16 KiB today; CRLs grow.
	type MaxCollateralLen = ConstU32<65_536>;
	type MaxRootLen = ConstU32<4_096>;
	type MaxRootsPerKind = ConstU32<8>;
	type MaxMeasurements = ConstU32<64>;
	type MaxTrapFamilies = ConstU32<16>;
	type BlockTimeSecs = crate::parameters::BlockTimeSecs;
	type ChallengeWindow = crate::parameters::AttestationChallengeWindow;
	type MaxValidityBlocks = AttestationMaxValidity;
	type WeightInfo = pallet_aicf_attestation::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = AttestationBenchmarkHelper;
}

/// Benchmark setup of the attestation pallet on this runtime.
#[cfg(feature = "runtime-benchmarks")]
pub struct AttestationBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_aicf_attestation::BenchmarkHelper for AttestationBenchmarkHelper {
	fn set_time(unix_secs: u64) {
		pallet_timestamp::Now::<Runtime>::put(unix_secs.saturating_mul(1000));
	}
	fn registered_provider() -> aicf_primitives::ProviderId {
		use frame_support::traits::fungible::Mutate;
		let controller: AccountId = AccountId::new([0xBE; 32]);
		let _ = Balances::mint_into(&controller, 1_000 * crate::currency::AICF);
		AicfRegistry::benchmark_provider_awaiting_attestation(controller, [0xBE; 32])
			.unwrap_or_else(|e| panic!("benchmark provider: {e:?}"))
	}
}
