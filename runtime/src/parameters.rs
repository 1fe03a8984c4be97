//! Parameters governance changes without a runtime upgrade (`pallet-parameters`).
//!
//! * [`RegistryParams`]: the registry's economic and liveness parameters — deposit, minimum
//!   stakes, stake lock and unbonding, heartbeat interval and grace, health decay, smoothing and
//!   threshold, cooldowns, the per-block heartbeat budget. One stored value, so a call that
//!   needs several of them (a heartbeat needs eight) reads one storage entry. Root changes it
//!   with `Parameters::set_parameter(Registry(Params(Params, Some(value))))`; `None` restores
//!   [`RegistryParams::SHIPPED`].
//! * [`ConsensusParams`]: the block time. Set at genesis only ([`ParametersAdmin`] refuses
//!   every origin): the node derives Aura slots from it, and a change on a running chain
//!   would stop block production.
//!
//! pallet-parameters has no genesis configuration: the [`genesis_parameters`] pallet writes
//! the values a chain preset gives (the `dev-fast` preset: [`RegistryParams::DEV_FAST`],
//! [`ConsensusParams::DEV_FAST`]).
//!
//! The pallets' `Config` items are the `Get` adapters below ([`HeartbeatInterval`], …), each
//! reading its field of the stored value.

use crate::{currency::AICF, AccountId, Balance, BlockNumber, RuntimeOrigin};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	dynamic_params::{dynamic_pallet_params, dynamic_params},
	traits::{EnsureOrigin, EnsureOriginWithArg, Get},
};
use scale_info::TypeInfo;
use sp_runtime::{
	serde::{Deserialize, Serialize},
	Permill,
};

/// The registry's governance-tunable parameters (see the field docs for what each does; the
/// pallet's `Config` documents the rules they enter).
///
/// Any value is safe for the runtime (no call panics or overflows on it), but not every value
/// makes sense: a threshold of 100 % makes every provider ineligible, a zero interval counts no
/// missed heartbeat. Stake and unbonding entries record their own end blocks, so changing the
/// lock or unbonding period applies to new entries only; a change of interval, grace, decay or
/// threshold applies to every provider at once (health is computed from them when read).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(crate = "sp_runtime::serde", rename_all = "camelCase", deny_unknown_fields)]
pub struct RegistryParams {
	/// Held from the controller at registration, released at deregistration.
	pub registration_deposit: Balance,
	/// Minimum bond of a provider offering AI compute.
	pub min_stake_ai: Balance,
	/// Minimum bond of a provider offering quantum compute.
	pub min_stake_quantum: Balance,
	/// Blocks a stake or top-up is locked before it can start unbonding.
	pub stake_lock_blocks: BlockNumber,
	/// Blocks over which an unstaked amount unlocks linearly.
	pub unbonding_blocks: BlockNumber,
	/// Blocks between a provider's heartbeats.
	pub heartbeat_interval: BlockNumber,
	/// Blocks after a due heartbeat before it counts as missed.
	pub heartbeat_grace: BlockNumber,
	/// Fewest blocks between two heartbeats of one provider.
	pub min_heartbeat_interval: BlockNumber,
	/// Missed heartbeats after which an ACTIVE provider is jailed.
	pub max_missed_heartbeats: u32,
	/// Factor applied to the health score per missed interval.
	pub health_decay_per_interval: Permill,
	/// Weight of a heartbeat's report in the new health score.
	pub health_smoothing: Permill,
	/// Health below which a provider is ineligible (and jailed, if ACTIVE).
	pub health_threshold: Permill,
	/// Blocks a provider jailed for silence stays jailed.
	pub jail_cooldown_blocks: BlockNumber,
	/// Blocks a provider stays jailed after an offence.
	pub offence_cooldown_blocks: BlockNumber,
	/// Smallest slash for an invalid proof.
	pub min_invalid_proof_slash: Balance,
	/// Free heartbeats a block takes at most.
	pub max_heartbeats_per_block: u32,
}

/// 0.1 AICF a storage entry and 0.001 AICF a byte.
pub const fn deposit(items: u32, bytes: u32) -> Balance {
	(items as Balance)
		.saturating_mul(AICF / 10)
		.saturating_add((bytes as Balance).saturating_mul(crate::currency::MILLI_AICF))
}

impl RegistryParams {
	/// The values of a production chain (the defaults).
	pub const SHIPPED: Self = Self {
		// A registration creates a provider record (at most 3 379 bytes encoded, with a
		// 1 952-byte ML-DSA-65 key), its key, controller, status and listing index entries,
		// and later its ledger and QoS window — 10 entries of at most ≈ 4 450 bytes in all:
		// 5.6 AICF (`registration_deposit_covers_the_storage`).
		registration_deposit: deposit(10, 4_600),
		min_stake_ai: 100 * AICF,
		min_stake_quantum: 250 * AICF,
		// 1 hour.
		stake_lock_blocks: 600,
		// 2 hours.
		unbonding_blocks: 1_200,
		// 10 minutes.
		heartbeat_interval: 100,
		// 5 minutes, half an interval: a cron schedule with ±20 % jitter never misses.
		heartbeat_grace: 50,
		// 1 minute.
		min_heartbeat_interval: 10,
		max_missed_heartbeats: 3,
		// Health halves every 3 missed intervals: 0.5^(1/3) ≈ 0.793701.
		health_decay_per_interval: Permill::from_parts(793_701),
		health_smoothing: Permill::from_percent(25),
		// Three missed intervals take any score below it (1.0 · 0.7937³ ≈ 0.50).
		health_threshold: Permill::from_percent(60),
		// 1 hour.
		jail_cooldown_blocks: 600,
		// 1 hour.
		offence_cooldown_blocks: 600,
		min_invalid_proof_slash: 10 * AICF,
		// ≈ 3.39 MB of the 3.93 MB normal-class length and ≈ 0.62 s of the 1.5 s normal-class
		// weight (docs/PERFORMANCE.md §3): fee-paying transactions always keep ≈ 540 KB and
		// ≈ 0.9 s of every block; 100 000 providers at one heartbeat per interval.
		max_heartbeats_per_block: 1_000,
	};

	/// The `dev-fast` preset: every period in blocks ten times shorter, on 1-second blocks
	/// ([`ConsensusParams::DEV_FAST`]): a heartbeat every 10 seconds, silence jailed within
	/// 45 seconds, a stake locked for 1 minute and unbonded over 2, so that whole lifecycles
	/// can be watched on a live node in minutes. Same health rules and stakes.
	pub const DEV_FAST: Self = Self {
		stake_lock_blocks: 60,
		unbonding_blocks: 120,
		heartbeat_interval: 10,
		heartbeat_grace: 5,
		min_heartbeat_interval: 1,
		jail_cooldown_blocks: 60,
		offence_cooldown_blocks: 60,
		..Self::SHIPPED
	};
}

/// The block time: genesis only (see the [module docs](self)).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(crate = "sp_runtime::serde", rename_all = "camelCase", deny_unknown_fields)]
pub struct ConsensusParams {
	/// Aura slot duration, milliseconds: one block per slot at most. At least 1 000.
	pub slot_duration_ms: u64,
}

impl ConsensusParams {
	/// Production: 6-second blocks.
	pub const SHIPPED: Self = Self { slot_duration_ms: crate::MILLI_SECS_PER_BLOCK };
	/// `dev-fast`: 1-second blocks.
	pub const DEV_FAST: Self = Self { slot_duration_ms: 1_000 };
}

/// The parameters' keys and defaults; `RuntimeParameters`, `RuntimeParametersKey` and
/// `RuntimeParametersValue` (beside this module) are what `set_parameter` takes and stores.
#[dynamic_params(RuntimeParameters, pallet_parameters::Parameters::<crate::Runtime>)]
// `dynamic_pallet_params` regenerates the inner modules without their doc comments.
#[allow(missing_docs)]
pub mod dynamic_params {
	use super::*;

	/// The registry's parameters.
	#[dynamic_pallet_params]
	#[codec(index = 0)]
	pub mod registry {
		/// All of them, in one value.
		#[codec(index = 0)]
		pub static Params: super::RegistryParams = super::RegistryParams::SHIPPED;
	}

	/// Consensus parameters: genesis only.
	#[dynamic_pallet_params]
	#[codec(index = 1)]
	pub mod consensus {
		/// The block time.
		#[codec(index = 0)]
		pub static Params: super::ConsensusParams = super::ConsensusParams::SHIPPED;
	}
}

/// Who may set a parameter: root for the registry's, nobody for the consensus ones (genesis
/// only).
pub struct ParametersAdmin;

impl EnsureOriginWithArg<RuntimeOrigin, RuntimeParametersKey> for ParametersAdmin {
	type Success = ();

	fn try_origin(
		origin: RuntimeOrigin,
		key: &RuntimeParametersKey,
	) -> Result<Self::Success, RuntimeOrigin> {
		match key {
			RuntimeParametersKey::Registry(_) => {
				<frame_system::EnsureRoot<AccountId> as EnsureOrigin<RuntimeOrigin>>::try_origin(
					origin,
				)
			},
			RuntimeParametersKey::Consensus(_) => Err(origin),
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin(key: &RuntimeParametersKey) -> Result<RuntimeOrigin, ()> {
		match key {
			RuntimeParametersKey::Registry(_) => Ok(RuntimeOrigin::root()),
			RuntimeParametersKey::Consensus(_) => Err(()),
		}
	}
}

/// The parameter pallet's benchmark sets the registry's parameters.
#[cfg(feature = "runtime-benchmarks")]
impl Default for RuntimeParameters {
	fn default() -> Self {
		RuntimeParameters::Registry(dynamic_params::registry::Parameters::Params(
			dynamic_params::registry::Params,
			Some(RegistryParams::DEV_FAST),
		))
	}
}

/// The registry's parameters in force.
pub fn registry() -> RegistryParams {
	dynamic_params::registry::Params::get()
}

/// The consensus parameters in force.
pub fn consensus() -> ConsensusParams {
	dynamic_params::consensus::Params::get()
}

/// `Get` adapters: one type per field of [`RegistryParams`], for the pallets' `Config`.
macro_rules! registry_getters {
	($($name:ident: $ty:ty = $field:ident;)*) => {$(
		#[doc = concat!("`RegistryParams::", stringify!($field), "` in force.")]
		pub struct $name;
		impl Get<$ty> for $name {
			fn get() -> $ty {
				registry().$field
			}
		}
	)*};
}

registry_getters! {
	RegistrationDeposit: Balance = registration_deposit;
	MinStakeAi: Balance = min_stake_ai;
	MinStakeQuantum: Balance = min_stake_quantum;
	StakeLockBlocks: BlockNumber = stake_lock_blocks;
	UnbondingBlocks: BlockNumber = unbonding_blocks;
	HeartbeatInterval: BlockNumber = heartbeat_interval;
	HeartbeatGrace: BlockNumber = heartbeat_grace;
	MinHeartbeatInterval: BlockNumber = min_heartbeat_interval;
	MaxMissedHeartbeats: u32 = max_missed_heartbeats;
	HealthDecayPerInterval: Permill = health_decay_per_interval;
	HealthSmoothing: Permill = health_smoothing;
	HealthThreshold: Permill = health_threshold;
	JailCooldownBlocks: BlockNumber = jail_cooldown_blocks;
	OffenceCooldownBlocks: BlockNumber = offence_cooldown_blocks;
	MinInvalidProofSlash: Balance = min_invalid_proof_slash;
	MaxHeartbeatsPerBlock: u32 = max_heartbeats_per_block;
}

/// `pallet_timestamp::Config::MinimumPeriod`: half the slot (Aura's slot is twice it).
pub struct MinimumPeriod;
impl Get<u64> for MinimumPeriod {
	fn get() -> u64 {
		consensus().slot_duration_ms.max(1_000) / 2
	}
}

/// Whole seconds per block, for converting certificate lifetimes into blocks.
pub struct BlockTimeSecs;
impl Get<u64> for BlockTimeSecs {
	fn get() -> u64 {
		consensus().slot_duration_ms.max(1_000) / 1_000
	}
}

/// Writes a chain preset's parameters at genesis (pallet-parameters has no genesis
/// configuration). No storage, calls or events of its own.
#[frame_support::pallet]
// The `#[pallet::pallet]` expansion of a pallet without storage calls `expect`.
#[allow(clippy::expect_used)]
pub mod genesis_parameters {
	use super::{ConsensusParams, RegistryParams};
	use frame_support::{pallet_prelude::*, traits::dynamic_params::AggregatedKeyValue};

	#[pallet::config]
	pub trait Config:
		frame_system::Config
		+ pallet_parameters::Config<RuntimeParameters = super::RuntimeParameters>
	{
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Parameter values other than the defaults, written at genesis.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The registry's parameters (default: [`RegistryParams::SHIPPED`]).
		pub registry: Option<RegistryParams>,
		/// The block time (default: [`ConsensusParams::SHIPPED`]).
		pub consensus: Option<ConsensusParams>,
		#[serde(skip)]
		#[doc(hidden)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			use super::dynamic_params::{consensus, registry};
			let set = |p: super::RuntimeParameters| {
				let (key, value) = p.into_parts();
				pallet_parameters::Parameters::<T>::set(key, value);
			};
			if let Some(p) = self.registry {
				set(super::RuntimeParameters::Registry(registry::Parameters::Params(
					registry::Params,
					Some(p),
				)));
			}
			if let Some(p) = self.consensus {
				assert!(p.slot_duration_ms >= 1_000, "slot duration below 1 000 ms");
				set(super::RuntimeParameters::Consensus(consensus::Parameters::Params(
					consensus::Params,
					Some(p),
				)));
			}
		}
	}
}
