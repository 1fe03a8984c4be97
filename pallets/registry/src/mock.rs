//! Test runtime: frame-system, pallet-balances and the registry.

use crate as pallet_aicf_registry;
use aicf_primitives::{
	crypto::{RegistryPublicKey, SignatureBytes},
	keys::RegistryKeypair,
	payload::{RegistrationPayload, RotationPayload, UpdatePayload},
	types::{AiCapability, Contact, Endpoint, Name, QuantumCapability, Region},
	Capabilities, ProviderId,
};
use codec::Encode;
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use sp_runtime::{BuildStorage, Permill};

type Block = frame_system::mocking::MockBlock<Test>;
/// Account ids are `u64` in the test runtime.
pub type AccountId = u64;
/// Balance type.
pub type Balance = u128;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Registry: pallet_aicf_registry,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ExistentialDeposit = frame_support::traits::ConstU128<1>;
}

/// Minimum stakes and durations of the test runtime.
pub const MIN_STAKE_AI: Balance = 1_000;
/// Quantum minimum (larger than AI's, so a dual provider needs this).
pub const MIN_STAKE_QUANTUM: Balance = 2_500;
/// Lock after stake.
pub const STAKE_LOCK: u64 = 10;
/// Unbonding duration.
pub const UNBONDING: u64 = 20;
/// Expected blocks between heartbeats.
pub const HEARTBEAT_INTERVAL: u64 = 10;
/// Blocks a heartbeat may be late and still count as on time.
pub const HEARTBEAT_GRACE: u64 = 2;
/// Largest step of the heartbeat counter.
pub const MAX_COUNTER_STEP: u64 = 1_000;
/// Heartbeats one block takes.
/// Proofs a liveness chain holds in the mock.
pub const MAX_LIVENESS_CHAIN: u32 = 5;
/// Proofs a batch holds in the mock.
pub const MAX_PROOFS_PER_BATCH: u32 = 4;
/// Proofs a block holds in the mock.
pub const MAX_PROOFS_PER_BLOCK: u32 = 5;
pub const MAX_HEARTBEATS_PER_BLOCK: u32 = 16;
/// Deposit a registration holds on its controller.
pub const REGISTRATION_DEPOSIT: Balance = 10;
/// Reports kept in a QoS window (small, so tests fill the ring).
pub const QOS_WINDOW_LEN: u32 = 4;

/// The first block at which a provider that heartbeated at `at` has missed `k ≥ 1` deadlines.
pub const fn missing_from(at: u64, k: u64) -> u64 {
	at + k * HEARTBEAT_INTERVAL + HEARTBEAT_GRACE + 1
}
/// Blocks in an SLA window.
pub const SLA_WINDOW: u64 = 20;
/// Jail cooldown for silence.
pub const JAIL_COOLDOWN: u64 = 25;
/// Where slashes go.
pub const TREASURY: AccountId = 1000;
/// Smallest invalid-proof slash.
pub const MIN_INVALID_PROOF_SLASH: Balance = 5_000;

parameter_types! {
	pub const MinStakeAi: Balance = MIN_STAKE_AI;
	pub const MinStakeQuantum: Balance = MIN_STAKE_QUANTUM;
	pub const StakeLockBlocks: u64 = STAKE_LOCK;
	pub const UnbondingBlocks: u64 = UNBONDING;
	pub const HeartbeatInterval: u64 = HEARTBEAT_INTERVAL;
	pub const MinHeartbeatInterval: u64 = 2;
	pub const HealthDecay: Permill = Permill::from_percent(80);
	pub const HealthSmoothing: Permill = Permill::from_percent(50);
	pub const HealthThreshold: Permill = Permill::from_percent(50);
	pub const JailCooldown: u64 = JAIL_COOLDOWN;
	pub const HeartbeatPriority: u64 = 100;
	/// 0 by default, so the heartbeat tests see their own budget alone; the proof tests set it.
	pub static ProofsPerHeartbeat: u32 = 0;
	pub const SlashDestination: AccountId = TREASURY;
	pub const OffenceCooldown: u64 = 15;
	pub const OffenceReportWindow: u64 = 40;
	pub const MinInvalidProofSlash: Balance = MIN_INVALID_PROOF_SLASH;
	/// SLA windows of 20 blocks: a breach above 10 % failures with at least 3, or 2 windows
	/// in a row below 95 % availability.
	pub static Sla: crate::SlaParams<u64> = crate::SlaParams {
		window_blocks: SLA_WINDOW,
		max_failure_ratio: Permill::from_percent(10),
		min_failures: 3,
		max_failures: 10,
		min_availability: Permill::from_percent(95),
		availability_windows: 2,
	};
	pub static Now: u64 = 1_700_000_000;
	pub const RegistryPalletId: frame_support::PalletId = frame_support::PalletId(*b"aicf/reg");
}

/// Chain time in the test runtime: the `Now` parameter, in seconds.
pub struct MockTime;
impl frame_support::traits::UnixTime for MockTime {
	fn now() -> core::time::Duration {
		core::time::Duration::from_secs(Now::get())
	}
}

impl pallet_aicf_registry::Config for Test {
	type Currency = Balances;
	type Balance = Balance;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RegistrationDeposit = frame_support::traits::ConstU128<REGISTRATION_DEPOSIT>;
	type MinStakeAi = MinStakeAi;
	type MinStakeQuantum = MinStakeQuantum;
	type StakeLockBlocks = StakeLockBlocks;
	type UnbondingBlocks = UnbondingBlocks;
	type UnixTime = MockTime;
	type HeartbeatInterval = HeartbeatInterval;
	type MinHeartbeatInterval = MinHeartbeatInterval;
	type HeartbeatGrace = frame_support::traits::ConstU64<HEARTBEAT_GRACE>;
	type MaxHeartbeatCounterStep = frame_support::traits::ConstU64<MAX_COUNTER_STEP>;
	type MaxMissedHeartbeats = ConstU32<3>;
	type HeartbeatTimestampWindow = frame_support::traits::ConstU64<120>;
	type HealthDecayPerInterval = HealthDecay;
	type HealthSmoothing = HealthSmoothing;
	type HealthThreshold = HealthThreshold;
	type JailCooldownBlocks = JailCooldown;
	type OffenceReportWindow = OffenceReportWindow;
	type MaxGovernanceJailBlocks = frame_support::traits::ConstU64<1_000>;
	type HeartbeatPriority = HeartbeatPriority;
	type MaxSweepPerBlock = ConstU32<2>;
	type MaxHeartbeatsPerBlock = ConstU32<MAX_HEARTBEATS_PER_BLOCK>;
	type QosWindowLen = ConstU32<QOS_WINDOW_LEN>;
	type MaxLivenessChain = ConstU32<MAX_LIVENESS_CHAIN>;
	type MaxProofsPerBatch = ConstU32<MAX_PROOFS_PER_BATCH>;
	type MaxProofsPerBlock = ConstU32<MAX_PROOFS_PER_BLOCK>;
	type ProofsPerHeartbeat = ProofsPerHeartbeat;
	type MaxConcurrentLeases = ConstU32<8>;
	type Sla = Sla;
	type PenaltyPolicy = crate::DefaultPenaltyPolicy<OffenceCooldown, MinInvalidProofSlash>;
	type SlashDestination = SlashDestination;
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId>;
	type MaxProvidersPerController = ConstU32<3>;
	type MaxUnbondingChunks = ConstU32<4>;
	type MaxCandidateSkips = ConstU32<4>;
	type MaxRegionPolicy = ConstU32<8>;
	type PalletId = RegistryPalletId;
	type OpsOrigin = frame_system::EnsureSignedBy<OpsAccounts, AccountId>;
	type WeightInfo = ();
}

/// The account allowed to pay out earnings.
pub const OPS: AccountId = 900;

frame_support::ord_parameter_types! {
	pub const OpsAccounts: AccountId = OPS;
}

/// Controller accounts with funds.
pub const ALICE: AccountId = 1;
/// Second controller.
pub const BOB: AccountId = 2;
/// Starting free balance of ALICE and BOB.
pub const ENDOWMENT: Balance = 1_000_000;

/// Test externalities with the invariants checked after the test body.
pub struct ExtBuilder;

impl ExtBuilder {
	/// Externalities with ALICE and BOB endowed, at block 1.
	pub fn new_test_ext() -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> {
			balances: vec![(ALICE, ENDOWMENT), (BOB, ENDOWMENT), (TREASURY, 1)],
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Run `test` at block 1, then check `do_try_state`.
	pub fn build_and_execute(test: impl FnOnce()) {
		Self::new_test_ext().execute_with(|| {
			test();
			Registry::do_try_state().expect("invariants hold after the test");
		});
	}
}

/// Deterministic ML-DSA-65 key number `n`.
pub fn ml_key(n: u8) -> RegistryKeypair {
	RegistryKeypair::from_ml_dsa_seed(&[n; 32])
}

/// Deterministic SLH-DSA-SHA2-128s key number `n`.
pub fn slh_key(n: u8) -> RegistryKeypair {
	RegistryKeypair::from_slh_dsa_seeds(
		&[n; 16],
		&[n.wrapping_add(1); 16],
		&[n.wrapping_add(2); 16],
	)
}

/// A bounded name.
pub fn name(s: &str) -> Name {
	s.as_bytes().to_vec().try_into().unwrap()
}

/// AI capabilities serving `models`.
pub fn ai_caps(models: &[&str]) -> Capabilities {
	Capabilities {
		ai: Some(AiCapability {
			models: models.iter().map(|m| name(m)).collect::<Vec<_>>().try_into().unwrap(),
			throughput_milli_tps: 2_500,
		}),
		quantum: None,
	}
}

/// AI + quantum capabilities.
pub fn dual_caps() -> Capabilities {
	let mut c = ai_caps(&["llama3-8b"]);
	c.quantum = Some(QuantumCapability {
		trap_families: vec![name("clifford")].try_into().unwrap(),
		max_depth: 64,
		max_width: 20,
		shots_per_sec: 80,
	});
	c
}

/// A bounded region.
pub fn region(s: &str) -> Region {
	s.as_bytes().to_vec().try_into().unwrap()
}

/// A bounded endpoint.
pub fn endpoint(s: &str) -> Endpoint {
	s.as_bytes().to_vec().try_into().unwrap()
}

/// A bounded contact.
pub fn contact(s: &str) -> Contact {
	s.as_bytes().to_vec().try_into().unwrap()
}

/// Proof of possession of `key` for `controller` on this chain.
pub fn pop(key: &RegistryKeypair, controller: AccountId) -> SignatureBytes {
	let pk = key.public();
	let payload = RegistrationPayload {
		genesis: Registry::genesis_hash(),
		provider: pk.provider_id(),
		controller: controller.encode(),
		alg: pk.alg.id(),
	};
	key.sign(&payload.encode()).unwrap()
}

/// A record as the attestation pallet hands it over: `kind`, hash `[seed; 32]`, verified now,
/// expiring at `expires_at`, certifying `families`.
pub fn attestation_record(
	kind: aicf_primitives::traits::EvidenceKind,
	seed: u8,
	expires_at: u64,
	families: &[&str],
) -> aicf_primitives::traits::AttestationRecord<u64> {
	aicf_primitives::traits::AttestationRecord {
		evidence_hash: [seed; 32],
		kind,
		measurement: [0; 48],
		updated_height: System::block_number(),
		version: 1,
		expires_at,
		not_after: u64::MAX,
		trap_families: families.iter().map(|f| name(f)).collect::<Vec<_>>().try_into().unwrap(),
	}
}

/// Hand `id` the attestations that back every capability it declares (a DCAP quote for `ai`
/// with hash `[seed; 32]`, a facility certificate certifying the declared trap families for
/// `quantum` with hash `[seed + 1; 32]`), expiring at `expires_at`.
pub fn attest_all(id: ProviderId, expires_at: u64, seed: u8) -> sp_runtime::DispatchResult {
	use aicf_primitives::traits::{AttestationSink, EvidenceKind};
	let caps = pallet_aicf_registry::Providers::<Test>::get(id)
		.map(|r| r.capabilities)
		.ok_or(pallet_aicf_registry::Error::<Test>::UnknownProvider)?;
	if caps.ai.is_some() {
		<Registry as AttestationSink<u64>>::attestation_verified(
			&id,
			attestation_record(EvidenceKind::SgxDcap, seed, expires_at, &[]),
		)?;
	}
	if let Some(q) = caps.quantum {
		let families: Vec<&str> =
			q.trap_families.iter().map(|f| core::str::from_utf8(f).unwrap()).collect();
		<Registry as AttestationSink<u64>>::attestation_verified(
			&id,
			attestation_record(EvidenceKind::Quantum, seed.wrapping_add(1), expires_at, &families),
		)?;
	}
	Ok(())
}

/// Register `key` for `controller` with AI capabilities; returns the id.
pub fn register(key: &RegistryKeypair, controller: AccountId) -> ProviderId {
	register_with(key, controller, ai_caps(&["llama3-8b"]))
}

/// Register with the given capabilities (an unfunded controller first gets the endowment,
/// so it can hold the registration deposit).
pub fn register_with(
	key: &RegistryKeypair,
	controller: AccountId,
	caps: Capabilities,
) -> ProviderId {
	if Balances::free_balance(controller) <= REGISTRATION_DEPOSIT {
		use frame_support::traits::fungible::Mutate;
		Balances::set_balance(&controller, ENDOWMENT);
	}
	let sig = pop(key, controller);
	Registry::register(
		RuntimeOrigin::signed(controller),
		key.public(),
		sig,
		caps,
		region("us-west-2"),
		endpoint("https://api.provider.example"),
		contact("ops@provider.example"),
	)
	.unwrap();
	key.public().provider_id()
}

/// Sign an update payload for `provider` at its current nonce.
pub fn sign_update(
	key: &RegistryKeypair,
	provider: ProviderId,
	fill: impl FnOnce(&mut UpdatePayload),
) -> SignatureBytes {
	let nonce = crate::Providers::<Test>::get(provider).map(|r| r.key_nonce).unwrap_or(0);
	let mut payload = UpdatePayload {
		genesis: Registry::genesis_hash(),
		provider,
		nonce,
		capabilities: None,
		region: None,
		endpoint: None,
		contact: None,
	};
	fill(&mut payload);
	key.sign(&payload.encode()).unwrap()
}

/// Rotation payload bytes for `provider` to `new_key` at its current nonce.
pub fn rotation_message(provider: ProviderId, new_key: &RegistryPublicKey) -> Vec<u8> {
	let nonce = crate::Providers::<Test>::get(provider).map(|r| r.key_nonce).unwrap_or(0);
	RotationPayload {
		genesis: Registry::genesis_hash(),
		provider,
		nonce,
		new_alg: new_key.alg.id(),
		new_public_key: new_key.bytes.to_vec(),
	}
	.encode()
}

/// Events of this pallet emitted so far.
pub fn registry_events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Registry(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// Move to block `n`.
pub fn run_to(n: u64) {
	System::set_block_number(n);
}
