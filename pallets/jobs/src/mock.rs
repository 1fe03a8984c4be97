//! Test runtime: frame-system, pallet-balances and the jobs pallet over a scripted registry
//! (`FakeRegistry`): the registry's traits answered from thread-local state, so the tests
//! choose what the registry says and see exactly what the pallet asked of it. The runtime's
//! tests (runtime/tests/jobs.rs) run the pallet against the real registry.

use crate as pallet_aicf_jobs;
use aicf_primitives::{
	traits::{
		Ineligible, JobRequirements, LeaseOutcome, ProviderControllers, ProviderEligibility,
		ProviderLeases, ProviderPayouts,
	},
	ProviderId,
};
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types, traits::ConstU32, weights::Weight};
use sp_runtime::{BuildStorage, DispatchError, DispatchResult};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;
/// Account ids are `u64` in the test runtime.
pub type AccountId = u64;
/// Balance type.
pub type Balance = u128;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Jobs: pallet_aicf_jobs,
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
	type ExistentialDeposit = frame_support::traits::ConstU128<1>;
}

/// The registry's payout pot.
pub const POT: AccountId = 500;
/// A requester with funds.
pub const REQUESTER: AccountId = 1;
/// A provider's controller.
pub const CONTROLLER: AccountId = 2;
/// Someone else.
pub const STRANGER: AccountId = 3;
/// Blocks per settlement epoch.
pub const EPOCH: u64 = 100;
/// Most leases sharing a deadline.
pub const MAX_DEADLINES: u32 = 3;

parameter_types! {
	pub const Pot: AccountId = POT;
	pub const JobsPalletId: frame_support::PalletId = frame_support::PalletId(*b"aicf/job");
}

/// What the scripted registry knows and was told.
#[derive(Default, Clone, Debug)]
pub struct RegistryState {
	/// Eligible providers, in the order `candidates` returns them, with their controllers.
	pub providers: Vec<(ProviderId, AccountId)>,
	/// Lease slots left per provider (`acquire_lease` fails at 0).
	pub slots: BTreeMap<ProviderId, u32>,
	/// Leases open per provider.
	pub open: BTreeMap<ProviderId, u32>,
	/// Outcomes released, in order.
	pub released: Vec<(ProviderId, LeaseOutcome)>,
	/// Credits, in order.
	pub credited: Vec<(ProviderId, u64, Balance)>,
	/// Epochs already paid out: `credit` to them fails with `PayoutAlreadyClaimed`.
	pub claimed_epochs: Vec<u64>,
}

thread_local! {
	static REGISTRY: RefCell<RegistryState> = RefCell::new(RegistryState::default());
}

/// Read or change the scripted registry.
pub fn registry<R>(f: impl FnOnce(&mut RegistryState) -> R) -> R {
	REGISTRY.with(|r| f(&mut r.borrow_mut()))
}

/// The scripted registry.
pub struct FakeRegistry;

impl ProviderEligibility<Balance> for FakeRegistry {
	fn check(_: &ProviderId, _: &JobRequirements<Balance>) -> Result<(), Ineligible> {
		Ok(())
	}
	fn candidates(
		_: &JobRequirements<Balance>,
		limit: u32,
		_: Option<ProviderId>,
	) -> (Vec<ProviderId>, Option<ProviderId>) {
		registry(|r| (r.providers.iter().take(limit as usize).map(|(p, _)| *p).collect(), None))
	}
}

impl ProviderLeases for FakeRegistry {
	fn acquire_lease(provider: &ProviderId) -> DispatchResult {
		registry(|r| {
			let slots = r.slots.entry(*provider).or_insert(1);
			if *slots == 0 {
				return Err(DispatchError::Other("LeaseQuotaFull"));
			}
			*slots -= 1;
			*r.open.entry(*provider).or_default() += 1;
			Ok(())
		})
	}
	fn release_lease(provider: &ProviderId, outcome: LeaseOutcome) -> DispatchResult {
		registry(|r| {
			let open = r.open.entry(*provider).or_default();
			if *open == 0 {
				return Err(DispatchError::Other("NoOpenLease"));
			}
			*open -= 1;
			*r.slots.entry(*provider).or_default() += 1;
			r.released.push((*provider, outcome));
			Ok(())
		})
	}
}

impl ProviderPayouts<Balance> for FakeRegistry {
	fn credit(provider: &ProviderId, epoch: u64, amount: Balance) -> DispatchResult {
		registry(|r| {
			if r.claimed_epochs.contains(&epoch) {
				return Err(DispatchError::Other("PayoutAlreadyClaimed"));
			}
			r.credited.push((*provider, epoch, amount));
			Ok(())
		})
	}
}

impl ProviderControllers<AccountId> for FakeRegistry {
	fn controller(provider: &ProviderId) -> Option<AccountId> {
		registry(|r| r.providers.iter().find(|(p, _)| p == provider).map(|(_, c)| *c))
	}
}

impl pallet_aicf_jobs::Config for Test {
	type Currency = Balances;
	type Balance = Balance;
	type Eligibility = FakeRegistry;
	type Leases = FakeRegistry;
	type Payouts = FakeRegistry;
	type Controllers = FakeRegistry;
	type PayoutPot = Pot;
	type PalletId = JobsPalletId;
	type EpochBlocks = frame_support::traits::ConstU64<EPOCH>;
	type MinLeaseBlocks = frame_support::traits::ConstU64<5>;
	type MaxLeaseBlocks = frame_support::traits::ConstU64<1_000>;
	type MinLeasePrice = frame_support::traits::ConstU128<10>;
	type MaxDeadlinesPerBlock = ConstU32<MAX_DEADLINES>;
	type CandidatesPerRequest = ConstU32<4>;
	type MaxRequestRegions = ConstU32<2>;
	type MatchWeight = MatchWeight;
	type SettlementWeight = SettlementWeight;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

parameter_types! {
	pub const MatchWeight: Weight = Weight::from_parts(1_000, 0);
	pub const SettlementWeight: Weight = Weight::from_parts(2_000, 0);
}

/// A provider id from a byte.
pub fn provider(n: u8) -> ProviderId {
	ProviderId([n; aicf_primitives::id::PROVIDER_ID_LEN])
}

/// Benchmark setup against the scripted registry.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, Balance> for MockBenchmarkHelper {
	fn leasable_provider() -> (ProviderId, AccountId, JobRequirements<Balance>) {
		let n = registry(|r| r.providers.len()) as u8;
		let id = provider(n.wrapping_add(100));
		let controller = 1_000 + AccountId::from(n);
		registry(|r| r.providers.push((id, controller)));
		(id, controller, requirements())
	}
	fn fund(who: &AccountId, amount: Balance) {
		use frame_support::traits::fungible::Mutate;
		let _ = Balances::mint_into(who, amount.saturating_mul(10));
	}
}

/// Requirements the scripted registry ignores.
pub fn requirements() -> JobRequirements<Balance> {
	JobRequirements {
		capability: aicf_primitives::traits::CapabilityRequirement::Ai {
			model: frame_support::BoundedVec::truncate_from(b"llama3-8b".to_vec()),
		},
		regions: Vec::new(),
		min_health: sp_runtime::Permill::zero(),
		min_stake: 0,
		max_rtt_ms: None,
	}
}

/// Externalities with funded accounts and an empty scripted registry.
pub fn new_test_ext() -> sp_io::TestExternalities {
	registry(|r| *r = RegistryState::default());
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap_or_default();
	let _ = pallet_balances::GenesisConfig::<Test> {
		balances: vec![(REQUESTER, 10_000), (CONTROLLER, 100), (STRANGER, 100), (POT, 1)],
		..Default::default()
	}
	.assimilate_storage(&mut t);
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
