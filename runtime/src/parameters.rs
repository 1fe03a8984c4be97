//! Parameters governance changes without a runtime upgrade (`pallet-parameters`).
//!
//! * [`RegistryParams`]: the registry's economic and liveness parameters — deposit, minimum
//!   stakes, stake lock and unbonding, heartbeat interval and grace, health decay, smoothing and
//!   threshold, cooldowns, the per-block heartbeat budget. One stored value, so a call that
//!   needs several of them (a heartbeat needs eight) reads one storage entry. Root changes it
//!   with `ParametersAdmin::set_registry(Some(value))`, which refuses a value that breaks one
//!   of the registry's rules ([`parameters_admin::Pallet::check`]); `None` restores
//!   [`RegistryParams::SHIPPED`].
//! * [`ConsensusParams`]: the block time. Set at genesis only: the node derives Aura slots
//!   from it, and a change on a running chain would stop block production.
//!
//! pallet-parameters keeps the values (and records changes with its `Updated` event); its own
//! `set_parameter` takes no value from anyone ([`ParametersOrigin`]). The [`parameters_admin`]
//! pallet is the one way in: the checked call above, and the values a chain preset gives at
//! genesis (the `dev-fast` preset: [`RegistryParams::DEV_FAST`], [`ConsensusParams::DEV_FAST`]).
//!
//! The pallets' `Config` items are the `Get` adapters below ([`HeartbeatInterval`], …), each
//! reading its field of the stored value.

use crate::{currency::AICF, Balance, BlockNumber, RuntimeOrigin};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	dynamic_params::{dynamic_pallet_params, dynamic_params},
	traits::{EnsureOriginWithArg, Get},
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
/// keeps the registry's promises (a threshold of 100 % makes every provider ineligible, a zero
/// interval counts no missed heartbeat): `ParametersAdmin::set_registry` and the genesis
/// builder refuse those ([`parameters_admin::Pallet::check`]). Stake and unbonding entries record their own end blocks, so changing the
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
	/// Blocks after a provider's last lease settles, and after it deregisters, during which
	/// offences can still be reported against it and none of its funds are released.
	pub offence_report_window: BlockNumber,
	/// Smallest slash for an invalid proof.
	pub min_invalid_proof_slash: Balance,
	/// Free heartbeats a block takes at most.
	pub max_heartbeats_per_block: u32,
	/// Blocks in one SLA window (lease outcomes and availability are judged per window).
	pub sla_window_blocks: BlockNumber,
	/// Share of failed leases in a window above which the window is an SLA breach.
	pub sla_max_failure_ratio: Permill,
	/// Fewest failed leases in a window for a breach by share.
	pub sla_min_failures: u32,
	/// Failed leases in a window that are a breach whatever the share.
	pub sla_max_failures: u32,
	/// Availability below which a window counts as low.
	pub sla_min_availability: Permill,
	/// Consecutive low-availability windows that make a breach.
	pub sla_availability_windows: u32,
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
		// and later its ledger and QoS window — 10 entries of at most ≈ 5 060 bytes in all
		// (the record holds an attestation per capability): 6.1 AICF
		// (`registration_deposit_covers_the_storage`).
		registration_deposit: deposit(10, 5_100),
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
		// 1 day: an SLA pallet that settles daily windows reports before funds can leave.
		offence_report_window: 14_400,
		min_invalid_proof_slash: 10 * AICF,
		// ≈ 3.39 MB of the 3.93 MB normal-class length and ≈ 0.62 s of the 1.5 s normal-class
		// weight (docs/PERFORMANCE.md §3): fee-paying transactions always keep ≈ 540 KB and
		// ≈ 0.9 s of every block; 100 000 providers at one heartbeat per interval.
		max_heartbeats_per_block: 1_000,
		// 1 day: the offence-report window covers a whole SLA window.
		sla_window_blocks: 14_400,
		// More than 1 lease in 10 failed (and at least 3) in a day is a breach.
		sla_max_failure_ratio: Permill::from_percent(10),
		sla_min_failures: 3,
		// 100 failed leases in a day are a breach however many succeeded (completions padded
		// with self-requested leases do not hide them).
		sla_max_failures: 100,
		// Three days in a row below 95 % availability is a breach.
		sla_min_availability: Permill::from_percent(95),
		sla_availability_windows: 3,
	};

	/// The `dev-fast` preset: every period in blocks ten times shorter, on 1-second blocks
	/// ([`ConsensusParams::DEV_FAST`]): a heartbeat every 10 seconds, silence jailed within
	/// 45 seconds, a stake locked for 1 minute and unbonded over 2, funds held 24 minutes
	/// after the last lease or a deregistration, so that whole lifecycles
	/// can be watched on a live node in minutes. Same health rules and stakes.
	pub const DEV_FAST: Self = Self {
		stake_lock_blocks: 60,
		unbonding_blocks: 120,
		heartbeat_interval: 10,
		heartbeat_grace: 5,
		min_heartbeat_interval: 1,
		jail_cooldown_blocks: 60,
		offence_cooldown_blocks: 60,
		offence_report_window: 1_440,
		// 1 minute: a window closes while an end-to-end test watches.
		sla_window_blocks: 60,
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

/// pallet-parameters' `AdminOrigin`: nobody. The registry's parameters change only through
/// [`parameters_admin`]'s checked `set_registry`; the consensus ones only at genesis.
pub struct ParametersOrigin;

impl EnsureOriginWithArg<RuntimeOrigin, RuntimeParametersKey> for ParametersOrigin {
	type Success = ();

	fn try_origin(
		origin: RuntimeOrigin,
		_key: &RuntimeParametersKey,
	) -> Result<Self::Success, RuntimeOrigin> {
		Err(origin)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin(_key: &RuntimeParametersKey) -> Result<RuntimeOrigin, ()> {
		Err(())
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
	OffenceReportWindow: BlockNumber = offence_report_window;
	MinInvalidProofSlash: Balance = min_invalid_proof_slash;
	MaxHeartbeatsPerBlock: u32 = max_heartbeats_per_block;
}

/// The registry's SLA rules in force (`RegistryParams::sla_*`).
pub struct Sla;
impl Get<pallet_aicf_registry::SlaParams<BlockNumber>> for Sla {
	fn get() -> pallet_aicf_registry::SlaParams<BlockNumber> {
		let p = registry();
		pallet_aicf_registry::SlaParams {
			window_blocks: p.sla_window_blocks,
			max_failure_ratio: p.sla_max_failure_ratio,
			min_failures: p.sla_min_failures,
			max_failures: p.sla_max_failures,
			min_availability: p.sla_min_availability,
			availability_windows: p.sla_availability_windows,
		}
	}
}

/// The attestation pallet's challenge window: evidence binds a block at most six heartbeat
/// intervals before the block that includes it — 600 blocks (one hour) at the shipped
/// parameters, 60 blocks (one minute) on `dev-fast` — time to produce the evidence and get it
/// included, and no more; never more than the block hashes frame-system keeps.
pub struct AttestationChallengeWindow;
impl Get<BlockNumber> for AttestationChallengeWindow {
	fn get() -> BlockNumber {
		registry()
			.heartbeat_interval
			.saturating_mul(6)
			.clamp(1, crate::configs::BLOCK_HASH_COUNT.saturating_sub(1))
	}
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

/// The registry's parameters change only through this pallet's `set_registry`, which checks
/// the value first ([`parameters_admin::Pallet::check`]); it also writes a chain preset's
/// parameters at genesis (pallet-parameters has no genesis configuration). pallet-parameters
/// keeps the storage, the typed keys and the `Parameters.Updated` event; its own
/// `set_parameter` is refused to every origin ([`ParametersOrigin`]).
#[frame_support::pallet]
// The `#[pallet::pallet]` expansion of a pallet without storage calls `expect`.
#[allow(clippy::expect_used)]
pub mod parameters_admin {
	use super::{ConsensusParams, RegistryParams};
	use frame_support::{pallet_prelude::*, traits::dynamic_params::AggregatedKeyValue};
	use frame_system::pallet_prelude::*;
	use pallet_parameters::WeightInfo as _;
	use sp_runtime::Permill;

	#[pallet::config]
	pub trait Config:
		frame_system::Config
		+ pallet_parameters::Config<RuntimeParameters = super::RuntimeParameters>
	{
		/// Who may change the registry's parameters.
		type RegistryAdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Why a registry parameter value is refused: each names the rule it breaks. The rules
	/// keep the registry's promises to providers and to fee-paying users, whatever governance
	/// sets.
	#[pallet::error]
	pub enum Error<T> {
		/// `heartbeat_interval` is 0: no heartbeat could ever be missed.
		ZeroHeartbeatInterval,
		/// `min_heartbeat_interval` is 0 (a provider could heartbeat every block) or above half
		/// `heartbeat_interval` (heartbeats on a schedule with ±20 % jitter can come 0.6
		/// intervals apart, and would be refused as too early).
		MinHeartbeatIntervalOutOfRange,
		/// `heartbeat_grace` is below a fifth of `heartbeat_interval` (cron skew and block-time
		/// jitter would make punctual providers miss deadlines) or not below the interval
		/// (silence would go uncounted for a whole interval and more).
		HeartbeatGraceOutOfRange,
		/// `max_missed_heartbeats` is 0: a provider would be jailed before its first deadline.
		ZeroMaxMissedHeartbeats,
		/// `health_threshold` is 0 (no health makes a provider ineligible) or 100 % (every
		/// provider is ineligible).
		HealthThresholdOutOfRange,
		/// `health_smoothing` is 0: reports would never move the health score.
		ZeroHealthSmoothing,
		/// `health_decay_per_interval` is 100 %: silence would never lower health.
		NoHealthDecay,
		/// `max_heartbeats_per_block` is below the slots of an SLH-DSA heartbeat (3: every such
		/// provider, or at 0 every provider, would be jailed for silence) or above
		/// [`MAX_HEARTBEATS_PER_BLOCK`] (free heartbeats would crowd out fee-paying
		/// transactions).
		HeartbeatBudgetOutOfRange,
		/// `min_stake_ai` or `min_stake_quantum` is 0: a provider with no stake at all could
		/// become ACTIVE and be matched to jobs.
		ZeroMinimumStake,
		/// `registration_deposit` is 0: registrations would create storage for free.
		ZeroRegistrationDeposit,
		/// `unbonding_blocks` is 0: stake would leave the moment it is unstaked, before an
		/// offence could be reported.
		ZeroUnbonding,
		/// `offence_report_window` is shorter than `heartbeat_interval` (a provider could take
		/// its stake out minutes after its last lease, before a report of what it did on it
		/// arrives) or longer than [`MAX_OFFENCE_REPORT_WINDOW`] (every provider whose lease
		/// ends would have its funds frozen that long).
		OffenceReportWindowOutOfRange,
		/// `sla_window_blocks` is shorter than `heartbeat_interval` (a window would hold no
		/// heartbeat to judge availability by) or longer than `offence_report_window` (funds
		/// held after a lease could leave before the window it counted in closes).
		SlaWindowOutOfRange,
		/// `sla_min_failures` or `sla_availability_windows` is 0 (a single failed lease, or
		/// no low window at all, would be a breach), `sla_max_failures` is below
		/// `sla_min_failures`, or `sla_max_failure_ratio` is 100 % (no share of failures would
		/// ever be one).
		SlaThresholdOutOfRange,
	}

	/// The most free heartbeats a block may take: the shipped budget, ≈ 3.39 MB of the
	/// 3.93 MB normal-class length (docs/PERFORMANCE.md §4).
	pub const MAX_HEARTBEATS_PER_BLOCK: u32 = RegistryParams::SHIPPED.max_heartbeats_per_block;

	/// The longest offence-report window: 30 days of 6-second blocks.
	pub const MAX_OFFENCE_REPORT_WINDOW: crate::BlockNumber = 30 * crate::DAYS;

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Set the registry's parameters (`None`: the defaults, [`RegistryParams::SHIPPED`]),
		/// in force from the next call that reads them. The value is checked first
		/// ([`Pallet::check`]); the change is recorded by pallet-parameters' `Updated` event.
		///
		/// Origin: [`Config::RegistryAdminOrigin`] (root). Errors: `BadOrigin` and one per rule of
		/// [`Error`]. Events: `Parameters.Updated`.
		#[pallet::call_index(0)]
		#[pallet::weight(<T as pallet_parameters::Config>::WeightInfo::set_parameter())]
		pub fn set_registry(origin: OriginFor<T>, value: Option<RegistryParams>) -> DispatchResult {
			T::RegistryAdminOrigin::ensure_origin(origin)?;
			if let Some(p) = &value {
				Self::check(p)?;
			}
			Self::write(super::RuntimeParameters::Registry(
				super::dynamic_params::registry::Parameters::Params(
					super::dynamic_params::registry::Params,
					value,
				),
			));
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The rules a registry parameter value must keep (see [`Error`]).
		pub fn check(p: &RegistryParams) -> Result<(), Error<T>> {
			ensure!(p.heartbeat_interval > 0, Error::<T>::ZeroHeartbeatInterval);
			ensure!(
				p.min_heartbeat_interval >= 1
					&& u64::from(p.min_heartbeat_interval).saturating_mul(2)
						<= u64::from(p.heartbeat_interval),
				Error::<T>::MinHeartbeatIntervalOutOfRange
			);
			ensure!(
				u64::from(p.heartbeat_grace).saturating_mul(5) >= u64::from(p.heartbeat_interval)
					&& p.heartbeat_grace < p.heartbeat_interval,
				Error::<T>::HeartbeatGraceOutOfRange
			);
			ensure!(p.max_missed_heartbeats > 0, Error::<T>::ZeroMaxMissedHeartbeats);
			ensure!(
				p.health_threshold > Permill::zero() && p.health_threshold < Permill::one(),
				Error::<T>::HealthThresholdOutOfRange
			);
			ensure!(p.health_smoothing > Permill::zero(), Error::<T>::ZeroHealthSmoothing);
			ensure!(p.health_decay_per_interval < Permill::one(), Error::<T>::NoHealthDecay);
			ensure!(
				// An SLH-DSA heartbeat takes several slots: a smaller budget would refuse every one.
				(pallet_aicf_registry::heartbeat::SLH_DSA_HEARTBEAT_SLOTS
					..=MAX_HEARTBEATS_PER_BLOCK)
					.contains(&p.max_heartbeats_per_block),
				Error::<T>::HeartbeatBudgetOutOfRange
			);
			ensure!(p.min_stake_ai > 0 && p.min_stake_quantum > 0, Error::<T>::ZeroMinimumStake);
			ensure!(p.registration_deposit > 0, Error::<T>::ZeroRegistrationDeposit);
			ensure!(p.unbonding_blocks > 0, Error::<T>::ZeroUnbonding);
			ensure!(
				(p.heartbeat_interval..=MAX_OFFENCE_REPORT_WINDOW)
					.contains(&p.offence_report_window),
				Error::<T>::OffenceReportWindowOutOfRange
			);
			ensure!(
				p.sla_window_blocks >= p.heartbeat_interval
					&& p.sla_window_blocks <= p.offence_report_window,
				Error::<T>::SlaWindowOutOfRange
			);
			ensure!(
				p.sla_min_failures > 0
					&& p.sla_max_failures >= p.sla_min_failures
					&& p.sla_availability_windows > 0
					&& p.sla_max_failure_ratio < Permill::one(),
				Error::<T>::SlaThresholdOutOfRange
			);
			Ok(())
		}

		/// Stores a parameter and records the change as pallet-parameters' own call would.
		fn write(p: super::RuntimeParameters) {
			let (key, new_value) = p.into_parts();
			let old_value = pallet_parameters::Parameters::<T>::get(&key);
			pallet_parameters::Parameters::<T>::set(&key, new_value.clone());
			let event: <T as pallet_parameters::Config>::RuntimeEvent =
				pallet_parameters::Event::<T>::Updated { key, old_value, new_value }.into();
			frame_system::Pallet::<T>::deposit_event(event.into());
		}
	}

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
				if let Err(e) = Pallet::<T>::check(&p) {
					panic!("genesis registry parameters refused: {}", <&'static str>::from(e));
				}
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
