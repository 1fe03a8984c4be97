//! Test runtime: frame-system and the attestation pallet, with a registry stand-in that
//! records what it is handed.

use crate as pallet_aicf_attestation;
use aicf_primitives::{
	traits::{AttestationRecord, AttestationSink, ProviderControllers},
	CapabilityKind, ProviderId,
};
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use sp_runtime::{BuildStorage, DispatchResult};
use std::{cell::RefCell, collections::BTreeMap, path::PathBuf};

type Block = frame_system::mocking::MockBlock<Test>;
/// Account ids are `u64` in the test runtime.
pub type AccountId = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Attestation: pallet_aicf_attestation,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type BlockHashCount = frame_support::traits::ConstU64<2_400>;
}

/// What the registry stand-in holds per provider: its controller and its attestations.
pub type RegistryEntries =
	BTreeMap<ProviderId, (AccountId, BTreeMap<CapabilityKind, AttestationRecord<u64>>)>;

thread_local! {
	/// Registered providers: controller and the attestation the registry holds.
	pub static REGISTRY: RefCell<RegistryEntries> = const { RefCell::new(BTreeMap::new()) };
	/// Registry keys rotated in a test: provider → its new key hash.
	pub static ROTATED: RefCell<BTreeMap<ProviderId, [u8; 32]>> = const { RefCell::new(BTreeMap::new()) };
}

/// The registry stand-in.
pub struct MockRegistry;

impl MockRegistry {
	/// Register `provider` under `controller`.
	pub fn add(provider: ProviderId, controller: AccountId) {
		REGISTRY.with(|r| r.borrow_mut().insert(provider, (controller, BTreeMap::new())));
	}
	/// The attestation of `capability` the registry holds for `provider`.
	pub fn attestation_of(
		provider: &ProviderId,
		capability: CapabilityKind,
	) -> Option<AttestationRecord<u64>> {
		REGISTRY.with(|r| r.borrow().get(provider).and_then(|(_, a)| a.get(&capability).cloned()))
	}
	/// The one attestation the registry holds for `provider`, whatever its capability.
	pub fn attestation(provider: &ProviderId) -> Option<AttestationRecord<u64>> {
		REGISTRY.with(|r| r.borrow().get(provider).and_then(|(_, a)| a.values().next().cloned()))
	}
	/// Rotate `provider`'s registry key: its key hash becomes `new`.
	pub fn rotate(provider: ProviderId, new: [u8; 32]) {
		ROTATED.with(|r| r.borrow_mut().insert(provider, new));
	}
	/// The registry key hash the stand-in reports for `provider`: its id repeated (until a
	/// [`Self::rotate`]).
	pub fn key_hash(provider: &ProviderId) -> [u8; 32] {
		if let Some(new) = ROTATED.with(|r| r.borrow().get(provider).copied()) {
			return new;
		}
		let mut h = [0u8; 32];
		for (i, b) in h.iter_mut().enumerate() {
			*b = provider.0[i % 12] ^ 0x5A;
		}
		h
	}
}

impl ProviderControllers<AccountId> for MockRegistry {
	fn controller(provider: &ProviderId) -> Option<AccountId> {
		REGISTRY.with(|r| r.borrow().get(provider).map(|(c, _)| *c))
	}
}

impl AttestationSink<u64> for MockRegistry {
	fn registry_key_hash(provider: &ProviderId) -> Option<[u8; 32]> {
		REGISTRY.with(|r| r.borrow().get(provider).map(|_| Self::key_hash(provider)))
	}
	fn attestation_verified(
		provider: &ProviderId,
		record: AttestationRecord<u64>,
	) -> DispatchResult {
		REGISTRY.with(|r| match r.borrow_mut().get_mut(provider) {
			Some(entry) => {
				entry.1.insert(record.kind.capability(), record);
				Ok(())
			},
			None => Err(sp_runtime::DispatchError::Other("unknown provider")),
		})
	}
	fn attestation_revoked(provider: &ProviderId, capability: CapabilityKind) -> DispatchResult {
		REGISTRY.with(|r| match r.borrow_mut().get_mut(provider) {
			Some(entry) => {
				entry.1.remove(&capability);
				Ok(())
			},
			None => Err(sp_runtime::DispatchError::Other("unknown provider")),
		})
	}
}

parameter_types! {
	/// Chain time, Unix seconds.
	pub static Now: u64 = 1_752_000_000;
	pub const MaxValidityBlocks: u64 = 14_400;
}

/// Chain time in the test runtime.
pub struct MockTime;
impl frame_support::traits::UnixTime for MockTime {
	fn now() -> core::time::Duration {
		core::time::Duration::from_secs(Now::get())
	}
}

impl pallet_aicf_attestation::Config for Test {
	type Registry = MockRegistry;
	type UnixTime = MockTime;
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId>;
	type MaxEvidenceLen = ConstU32<16_384>;
	type MaxCollateralLen = ConstU32<65_536>;
	type MaxRootLen = ConstU32<4_096>;
	type MaxRootsPerKind = ConstU32<4>;
	type MaxMeasurements = ConstU32<8>;
	type MaxTrapFamilies = ConstU32<8>;
	type BlockTimeSecs = frame_support::traits::ConstU64<6>;
	type ChallengeWindow = frame_support::traits::ConstU64<600>;
	type MaxValidityBlocks = MaxValidityBlocks;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockTime;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for MockTime {
	fn set_time(unix_secs: u64) {
		Now::set(unix_secs);
	}
	fn registered_provider() -> ProviderId {
		let p = ProviderId([0xBE; 12]);
		MockRegistry::add(p, 1);
		p
	}
}

/// The package directory, read when the tests run (cargo sets it), so a test binary built in
/// another checkout sharing the target directory still finds the fixtures beside this one.
fn manifest_dir() -> PathBuf {
	std::env::var_os("CARGO_MANIFEST_DIR")
		.map(PathBuf::from)
		.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// The shared vendor fixtures.
pub fn fixtures() -> PathBuf {
	std::env::var_os("AICF_FIXTURES")
		.map(PathBuf::from)
		.unwrap_or_else(|| manifest_dir().join("../../../shared/fixtures"))
}

/// A fixture file's bytes.
pub fn fixture(rel: &str) -> Vec<u8> {
	let path = fixtures().join(rel);
	std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", path.display()))
}

/// A hex fixture (optional `0x`, surrounding whitespace ignored) decoded.
pub fn hex_fixture(rel: &str) -> Vec<u8> {
	let text = String::from_utf8(fixture(rel)).unwrap();
	hex::decode(text.trim().trim_start_matches("0x")).unwrap()
}

/// Externalities at block 1 with an empty registry.
pub fn new_test_ext() -> sp_io::TestExternalities {
	// Every signature the verifiers check in these tests is also checked by the portable
	// reference, and the verdicts must agree.
	aicf_attestation_verify::sig::set_differential(true);
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	// A development genesis: any TEE workload until a test pins some.
	crate::GenesisConfig::<Test> { accept_any_workload: true, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	REGISTRY.with(|r| r.borrow_mut().clear());
	ROTATED.with(|r| r.borrow_mut().clear());
	ext
}
