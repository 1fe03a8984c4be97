//! Liveness at the runtime's own parameters: the health table the operator documentation
//! states, and a day of heartbeats through `Executive` (blocks initialized with their Aura slot
//! and timestamp inherent, `on_idle` run when each block is finalized; empty stretches between
//! heartbeats skipped).

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

mod common;
use common::*;

use aicf_primitives::{keys::RegistryKeypair, ProviderId, ProviderStatus};
use aicf_runtime::{
	configs::{HealthDecayPerInterval, HealthSmoothing, HealthThreshold, HeartbeatGrace},
	AicfRegistry, Runtime, RuntimeCall, System, DAYS, HOURS,
};
use frame_support::traits::Get;
use pallet_aicf_registry::{health, status, Call as RegistryCall, Providers};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	transaction_validity::{InvalidTransaction, TransactionValidityError},
	Permill,
};
use std::collections::BTreeSet;

type Config = Runtime;

fn interval() -> u32 {
	<Config as pallet_aicf_registry::Config>::HeartbeatInterval::get()
}

fn max_missed() -> u64 {
	u64::from(<<Config as pallet_aicf_registry::Config>::MaxMissedHeartbeats as Get<u32>>::get())
}

/// Reported availability of a healthy provider in the table: 99 %.
const GOOD: Permill = Permill::from_percent(99);

fn health_at(score: Permill, missed: u64) -> Permill {
	health::decayed(score, HealthDecayPerInterval::get(), missed)
}

/// Heartbeats reporting [`GOOD`] it takes, the late one included, to bring `effective` back
/// to at least 95 %.
fn heartbeats_to_recover(mut effective: Permill) -> u32 {
	let mut n = 0;
	while effective < Permill::from_percent(95) {
		effective = health::after_heartbeat(Some(effective), GOOD, HealthSmoothing::get());
		n += 1;
	}
	n
}

fn duration(blocks: u32) -> String {
	let secs = u64::from(blocks) * BLOCK_MS / 1000;
	match secs % 60 {
		0 => format!("{} min", secs / 60),
		s => format!("{} min {s} s", secs / 60),
	}
}

fn fraction(p: Permill) -> String {
	format!("{:.4}", f64::from(p.deconstruct()) / 1e6)
}

/// The table of `docs/pallet-registry.md`, computed with the runtime's parameters and the
/// pallet's own fixed-point functions.
fn health_table() -> String {
	let (i, g) = (interval(), HeartbeatGrace::get());
	let threshold = HealthThreshold::get();
	let mut out = String::from(
		"| deadlines missed | blocks since the last heartbeat | silence | health (last report 0.99) | eligible | jailed (if stored ACTIVE) | heartbeats to be ≥ 0.95 again |\n\
		 |---|---|---|---|---|---|---|\n",
	);
	for k in 0..=5u32 {
		let (from, to) = if k == 0 { (0, i + g) } else { (k * i + g + 1, (k + 1) * i + g) };
		let health = health_at(GOOD, u64::from(k));
		let jailed = if u64::from(k) > max_missed() {
			format!("yes (more than {} missed)", max_missed())
		} else if health < threshold {
			format!("yes (health < {})", fraction(threshold))
		} else {
			"no".into()
		};
		out += &format!(
			"| {k} | {from}–{to} | {}–{} | {} | {} | {jailed} | {} |\n",
			duration(from),
			duration(to),
			fraction(health),
			if k == 0 && health >= threshold { "yes" } else { "no" },
			heartbeats_to_recover(health),
		);
	}
	out
}

#[test]
fn the_documented_health_table_is_the_runtime_s() {
	// The parameters in force on a chain started from genesis (the defaults).
	new_ext().execute_with(the_documented_health_table_is_the_runtime_s_at_genesis);
}

fn the_documented_health_table_is_the_runtime_s_at_genesis() {
	let table = health_table();
	println!("{table}");
	// What the parameters were chosen for: a punctual provider reporting ≥ 0.99 never decays
	// (a heartbeat within the interval plus the grace misses nothing) …
	let grace = HeartbeatGrace::get();
	assert!(grace * 5 >= interval(), "grace {grace} is under 20 % of the interval");
	assert_eq!(health::missed_intervals(0, u64::from(interval() + grace), 100, 50), 0);
	// … and one silent for `MaxMissedHeartbeats` intervals is below the threshold whatever it
	// reported (it is ineligible after the first missed deadline already).
	assert!(health_at(Permill::one(), max_missed()) < HealthThreshold::get());
	assert!(health_at(GOOD, 1) >= HealthThreshold::get(), "one miss alone does not jail");

	let doc = std::env::var_os("CARGO_MANIFEST_DIR")
		.map(std::path::PathBuf::from)
		.unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into())
		.join("../docs/pallet-registry.md");
	let text = std::fs::read_to_string(&doc).unwrap();
	assert!(
		text.contains(&table),
		"{} does not hold the health table of the runtime's parameters; put this in it:\n{table}",
		doc.display()
	);
}

/// Deterministic jitter in `[-max, max]` blocks (a linear congruential generator).
struct Jitter(u64);
impl Jitter {
	fn next(&mut self, max: u32) -> i64 {
		self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
		((self.0 >> 33) % (2 * u64::from(max) + 1)) as i64 - i64::from(max)
	}
}

fn record(id: ProviderId) -> pallet_aicf_registry::ProviderRecordOf<Runtime> {
	Providers::<Runtime>::get(id).unwrap()
}

/// What `status::decide` concludes for `id` at the current block.
fn effective_status(id: ProviderId) -> ProviderStatus {
	status::decide(AicfRegistry::status_input(&record(id), &id))
}

#[test]
fn a_day_of_heartbeats_at_the_shipped_parameters() {
	new_ext().execute_with(|| {
		let (alice, bob) = (Sr25519Keyring::Alice, Sr25519Keyring::Bob);
		let keys: Vec<RegistryKeypair> =
			(1..=6u8).map(|i| RegistryKeypair::from_ml_dsa_seed(&[i; 32])).collect();
		let ids: Vec<ProviderId> = keys.iter().map(|k| k.public().provider_id()).collect();
		// punctual, flaky (misses 1 in 5), three silent ones (jailed by each route), unstaked.
		let (punctual, flaky, reported, swept, touched, unstaked) =
			(ids[0], ids[1], ids[2], ids[3], ids[4], ids[5]);
		for key in &keys {
			apply(signed(alice, register_call(key, &alice.to_account_id()))).unwrap().unwrap();
		}
		for id in &ids[..5] {
			let stake = RuntimeCall::AicfRegistry(RegistryCall::stake {
				provider: *id,
				amount: 100 * aicf_runtime::currency::AICF,
			});
			apply(signed(alice, stake)).unwrap().unwrap();
		}
		for id in &ids {
			apply(signed(alice, attest_call(*id))).unwrap().unwrap();
		}
		finish_block();

		let (i, g) = (interval(), HeartbeatGrace::get());
		let end = DAYS - HOURS; // within the attestation's one-day validity
						  // Heartbeats due every interval with ±20 % jitter; the flaky one skips every fifth.
		let mut jitter = Jitter(7);
		let mut schedule = |start: u32| {
			let mut at = vec![start];
			while *at.last().unwrap() < end {
				let next = i64::from(at.len() as u32 * i + start) + jitter.next(i / 5);
				at.push(next as u32);
			}
			at
		};
		let punctual_at: BTreeSet<u32> = schedule(10).into_iter().collect();
		let flaky_at: BTreeSet<u32> = schedule(13)
			.into_iter()
			.enumerate()
			.filter(|(k, _)| k % 5 != 4)
			.map(|(_, b)| b)
			.collect();
		let first = 10;
		let (last_on_time, first_late) = (first + i + g, first + i + g + 1);
		let (not_yet, jail_at) = (first + 3 * i + g, first + 3 * i + g + 1);
		let blocks: BTreeSet<u32> = punctual_at
			.iter()
			.chain(&flaky_at)
			.copied()
			.chain([first, last_on_time, first_late, not_yet, jail_at])
			.collect();

		let mut counters = [0u64; 2];
		let (mut punctual_lowest, mut flaky_lowest) = (Permill::one(), Permill::one());
		for &n in &blocks {
			start_block(n);
			let now = System::block_number();
			for (slot, who, due) in [(0usize, punctual, &punctual_at), (1, flaky, &flaky_at)] {
				if !due.contains(&n) {
					continue;
				}
				let r = record(who);
				if r.last_heartbeat.is_some() {
					let before = AicfRegistry::effective_health(&who, &r, now);
					if slot == 0 {
						punctual_lowest = punctual_lowest.min(before);
						assert_eq!(effective_status(who), ProviderStatus::Active, "block {n}");
					} else {
						flaky_lowest = flaky_lowest.min(before);
					}
				}
				counters[slot] += 1;
				apply(general(heartbeat_with(&keys[slot], who, counters[slot], 9_900)))
					.unwrap()
					.unwrap();
				assert_eq!(status(who), ProviderStatus::Active, "block {n}");
			}
			if n == first {
				// The silent ones' only heartbeat. The unstaked one's is refused by the pool
				// (before its signature is checked): no free heartbeat enters a block.
				for (key, who) in [(&keys[2], reported), (&keys[3], swept), (&keys[4], touched)] {
					apply(general(heartbeat_call(key, who, 1))).unwrap().unwrap();
					assert_eq!(status(who), ProviderStatus::Active);
				}
				let free = general(heartbeat_call(&keys[5], unstaked, 1));
				assert_eq!(
					pool_validity(free),
					Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(9)))
				);
			}
			if n == last_on_time {
				assert_eq!(effective_status(reported), ProviderStatus::Active, "within the grace");
			}
			if n == first_late {
				for id in [reported, swept, touched] {
					assert_eq!(effective_status(id), ProviderStatus::Registered, "late");
				}
			}
			let report =
				RuntimeCall::AicfRegistry(RegistryCall::report_unresponsive { provider: reported });
			if n == not_yet {
				assert!(apply(signed(bob, report.clone())).unwrap().is_err(), "not yet");
			}
			if n == jail_at {
				// Route (b): anyone reports it, for free when true.
				apply(signed(bob, report)).unwrap().unwrap();
				assert_eq!(status(reported), ProviderStatus::Jailed);
				// Route (a): a call touches it (its controller tops up the stake).
				let top_up =
					RuntimeCall::AicfRegistry(RegistryCall::stake { provider: touched, amount: 1 });
				apply(signed(alice, top_up)).unwrap().unwrap();
				assert_eq!(status(touched), ProviderStatus::Jailed);
				assert_ne!(status(swept), ProviderStatus::Jailed, "not before on_idle");
			}
			finish_block();
			if n == jail_at {
				// Route (c): the `on_idle` sweep in that block's leftover weight.
				assert_eq!(status(swept), ProviderStatus::Jailed);
			}
		}
		assert!(punctual_lowest >= Permill::from_percent(95), "{punctual_lowest:?}");
		assert_eq!(status(punctual), ProviderStatus::Active);
		assert_eq!(status(flaky), ProviderStatus::Active);
		// The flaky provider decays by one missed interval at a time and recovers: never near
		// the threshold, never at 0.95 before its heartbeats.
		// Between misses it climbs back above 0.93; one miss takes that to ≥ 0.93 · 0.7937.
		assert!(flaky_lowest >= Permill::from_percent(70), "{flaky_lowest:?}");
		assert!(flaky_lowest < Permill::from_percent(95), "{flaky_lowest:?}");
		assert_eq!(record(unstaked).last_heartbeat, None);
		println!(
			"one day at the shipped parameters ({} blocks run): punctual {} heartbeats, lowest \
			 health {}; flaky {} heartbeats, lowest {}; silent jailed {} blocks after their last \
			 heartbeat by touch, report_unresponsive and on_idle",
			blocks.len(),
			counters[0],
			fraction(punctual_lowest),
			counters[1],
			fraction(flaky_lowest),
			jail_at - first,
		);
	});
}

/// Root changes the registry's parameters without a runtime upgrade, in force at once, through
/// the checked `ParametersAdmin::set_registry`; a signed account cannot; pallet-parameters' own
/// `set_parameter` takes nothing from anyone, so nobody changes the block time after genesis;
/// `None` restores the defaults.
#[test]
fn governance_sets_the_registry_parameters_and_nobody_the_block_time() {
	use aicf_runtime::{
		parameters::{
			dynamic_params, parameters_admin, ConsensusParams, RegistryParams, RuntimeParameters,
		},
		Aura,
	};
	use dynamic_params::{consensus, registry};
	let set_registry =
		|value| RuntimeCall::ParametersAdmin(parameters_admin::Call::set_registry { value });
	let raw_set =
		|key_value| RuntimeCall::Parameters(pallet_parameters::Call::set_parameter { key_value });
	new_ext().execute_with(|| {
		let shipped = RegistryParams::SHIPPED;
		assert_eq!(aicf_runtime::parameters::registry(), shipped);
		let slower = RegistryParams {
			heartbeat_interval: 200,
			heartbeat_grace: 100,
			min_stake_ai: 500 * aicf_runtime::currency::AICF,
			..shipped
		};

		// A signed account: BadOrigin, nothing stored.
		let refused = apply(signed(Sr25519Keyring::Bob, set_registry(Some(slower)))).unwrap();
		assert_eq!(refused, Err(sp_runtime::DispatchError::BadOrigin));
		assert_eq!(interval(), shipped.heartbeat_interval);
		assert!(pallet_parameters::Parameters::<Runtime>::iter().next().is_none());

		// pallet-parameters' own call, even from root, for either key: BadOrigin, nothing stored.
		let registry_raw = raw_set(RuntimeParameters::Registry(registry::Parameters::Params(
			registry::Params,
			Some(RegistryParams { heartbeat_interval: 0, ..shipped }),
		)));
		let consensus_raw = raw_set(RuntimeParameters::Consensus(consensus::Parameters::Params(
			consensus::Params,
			Some(ConsensusParams::DEV_FAST),
		)));
		for call in [registry_raw, consensus_raw] {
			apply(signed(Sr25519Keyring::Alice, sudo(call))).unwrap().unwrap();
			assert_eq!(sudo_result(), Err(sp_runtime::DispatchError::BadOrigin));
		}
		assert!(pallet_parameters::Parameters::<Runtime>::iter().next().is_none());
		assert_eq!(Aura::slot_duration(), 6_000);
		assert_eq!(aicf_runtime::parameters::consensus(), ConsensusParams::SHIPPED);

		// Root through the checked call: in force at once, through the pallets' own `Config`,
		// recorded by pallet-parameters' event.
		apply(signed(Sr25519Keyring::Alice, sudo(set_registry(Some(slower))))).unwrap().unwrap();
		assert_eq!(sudo_result(), Ok(()));
		assert!(System::events().iter().any(|e| matches!(
			&e.event,
			aicf_runtime::RuntimeEvent::Parameters(pallet_parameters::Event::Updated {
				old_value: None,
				new_value: Some(_),
				..
			})
		)));
		assert_eq!(interval(), 200);
		assert_eq!(HeartbeatGrace::get(), 100);
		assert_eq!(
			<Runtime as pallet_aicf_registry::Config>::MinStakeAi::get(),
			500 * aicf_runtime::currency::AICF
		);
		// What the registry concludes from them: 250 blocks after a heartbeat is on time
		// under the new interval and grace (it was two missed deadlines under the old).
		assert_eq!(
			health::missed_intervals(
				0,
				250,
				u64::from(interval()),
				u64::from(HeartbeatGrace::get())
			),
			0
		);

		// `None` restores the defaults.
		apply(signed(Sr25519Keyring::Alice, sudo(set_registry(None)))).unwrap().unwrap();
		assert_eq!(sudo_result(), Ok(()));
		assert_eq!(aicf_runtime::parameters::registry(), shipped);
	});
}

/// Every rule of the checked call refuses a value that breaks it, with its own error, and
/// leaves the parameters in force untouched; the shipped and `dev-fast` values keep them all.
#[test]
fn governance_cannot_set_registry_parameters_that_break_the_rules() {
	use aicf_runtime::parameters::{
		parameters_admin::{self, Error},
		RegistryParams,
	};
	type Check = parameters_admin::Pallet<Runtime>;
	let shipped = RegistryParams::SHIPPED;
	assert!(Check::check(&shipped).is_ok());
	assert!(Check::check(&RegistryParams::DEV_FAST).is_ok());
	// The window's bounds themselves are accepted.
	for window in [shipped.heartbeat_interval, parameters_admin::MAX_OFFENCE_REPORT_WINDOW] {
		assert!(Check::check(&RegistryParams {
			offence_report_window: window,
			sla_window_blocks: window,
			..shipped
		})
		.is_ok());
	}
	let one = sp_runtime::Permill::one();
	let zero = sp_runtime::Permill::zero();
	let cases: Vec<(RegistryParams, Error<Runtime>)> = vec![
		(
			RegistryParams {
				heartbeat_interval: 0,
				min_heartbeat_interval: 0,
				heartbeat_grace: 0,
				..shipped
			},
			Error::ZeroHeartbeatInterval,
		),
		(
			RegistryParams { min_heartbeat_interval: 0, ..shipped },
			Error::MinHeartbeatIntervalOutOfRange,
		),
		(
			RegistryParams { min_heartbeat_interval: 51, ..shipped },
			Error::MinHeartbeatIntervalOutOfRange,
		),
		// 19 blocks of grace on a 100-block interval: below a fifth.
		(RegistryParams { heartbeat_grace: 19, ..shipped }, Error::HeartbeatGraceOutOfRange),
		// A grace of a whole interval: silence counted only after two.
		(RegistryParams { heartbeat_grace: 100, ..shipped }, Error::HeartbeatGraceOutOfRange),
		(RegistryParams { max_missed_heartbeats: 0, ..shipped }, Error::ZeroMaxMissedHeartbeats),
		(RegistryParams { health_threshold: zero, ..shipped }, Error::HealthThresholdOutOfRange),
		(RegistryParams { health_threshold: one, ..shipped }, Error::HealthThresholdOutOfRange),
		(RegistryParams { health_smoothing: zero, ..shipped }, Error::ZeroHealthSmoothing),
		(RegistryParams { health_decay_per_interval: one, ..shipped }, Error::NoHealthDecay),
		(
			RegistryParams { max_heartbeats_per_block: 0, ..shipped },
			Error::HeartbeatBudgetOutOfRange,
		),
		// Too small for an SLH-DSA heartbeat (three slots): those providers could never beat.
		(
			RegistryParams { max_heartbeats_per_block: 2, ..shipped },
			Error::HeartbeatBudgetOutOfRange,
		),
		(
			RegistryParams {
				max_heartbeats_per_block: parameters_admin::MAX_HEARTBEATS_PER_BLOCK + 1,
				..shipped
			},
			Error::HeartbeatBudgetOutOfRange,
		),
		(RegistryParams { min_stake_ai: 0, ..shipped }, Error::ZeroMinimumStake),
		(RegistryParams { min_stake_quantum: 0, ..shipped }, Error::ZeroMinimumStake),
		(RegistryParams { registration_deposit: 0, ..shipped }, Error::ZeroRegistrationDeposit),
		(RegistryParams { unbonding_blocks: 0, ..shipped }, Error::ZeroUnbonding),
		// A day's window is the default; one block short of an interval, or a day past 30
		// days, is refused.
		(
			RegistryParams { offence_report_window: 99, ..shipped },
			Error::OffenceReportWindowOutOfRange,
		),
		(
			RegistryParams {
				offence_report_window: parameters_admin::MAX_OFFENCE_REPORT_WINDOW + DAYS,
				..shipped
			},
			Error::OffenceReportWindowOutOfRange,
		),
		// An SLA window shorter than an interval, or longer than the report window.
		(RegistryParams { sla_window_blocks: 99, ..shipped }, Error::SlaWindowOutOfRange),
		(
			RegistryParams { sla_window_blocks: shipped.offence_report_window + 1, ..shipped },
			Error::SlaWindowOutOfRange,
		),
		(RegistryParams { sla_min_failures: 0, ..shipped }, Error::SlaThresholdOutOfRange),
		(RegistryParams { sla_max_failures: 2, ..shipped }, Error::SlaThresholdOutOfRange),
		(RegistryParams { sla_availability_windows: 0, ..shipped }, Error::SlaThresholdOutOfRange),
		(RegistryParams { sla_max_failure_ratio: one, ..shipped }, Error::SlaThresholdOutOfRange),
	];
	new_ext().execute_with(|| {
		// The values in force before each refused call: `dev-fast`'s, set through the call.
		let call = |value| {
			sudo(RuntimeCall::ParametersAdmin(parameters_admin::Call::set_registry { value }))
		};
		apply(signed(Sr25519Keyring::Alice, call(Some(RegistryParams::DEV_FAST))))
			.unwrap()
			.unwrap();
		assert_eq!(sudo_result(), Ok(()));
		let stored = || {
			pallet_parameters::Parameters::<Runtime>::iter()
				.map(|kv| codec::Encode::encode(&kv))
				.collect::<Vec<_>>()
		};
		let before = stored();
		for (value, error) in cases {
			let expected = sp_runtime::DispatchError::from(error);
			assert_eq!(
				Check::check(&value).map_err(sp_runtime::DispatchError::from),
				Err(expected),
				"{value:?}"
			);
			apply(signed(Sr25519Keyring::Alice, call(Some(value)))).unwrap().unwrap();
			assert_eq!(sudo_result(), Err(expected), "{value:?}");
			assert_eq!(stored(), before);
			assert_eq!(aicf_runtime::parameters::registry(), RegistryParams::DEV_FAST);
		}
	});
}

/// The `dev-fast` preset: 1-second blocks and every registry period ten times shorter in
/// blocks, written at genesis; the development preset keeps the defaults.
#[test]
fn the_dev_fast_preset_writes_its_parameters_at_genesis() {
	use aicf_runtime::{
		genesis_config_presets::{get_preset, DEV_FAST_PRESET},
		parameters::{self, ConsensusParams, RegistryParams},
		Aura,
	};
	// What a node does with a preset: the patch merged into the default genesis config.
	fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
		match (base, patch) {
			(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
				for (k, v) in patch {
					merge(base.entry(k).or_insert(serde_json::Value::Null), v);
				}
			},
			(base, patch) => *base = patch,
		}
	}
	let build = |preset: &str| {
		let mut ext = sp_io::TestExternalities::default();
		ext.execute_with(|| {
			let patch = get_preset(&preset.into()).unwrap();
			let mut config =
				serde_json::to_value(aicf_runtime::RuntimeGenesisConfig::default()).unwrap();
			merge(&mut config, serde_json::from_slice(&patch).unwrap());
			frame_support::genesis_builder_helper::build_state::<
				aicf_runtime::RuntimeGenesisConfig,
			>(serde_json::to_vec(&config).unwrap())
			.unwrap();
			(parameters::registry(), parameters::consensus(), Aura::slot_duration(), interval())
		})
	};
	let (registry, consensus, slot, interval) = build(DEV_FAST_PRESET);
	assert_eq!(registry, RegistryParams::DEV_FAST);
	assert_eq!(consensus, ConsensusParams::DEV_FAST);
	assert_eq!((slot, interval), (1_000, 10));
	// Ten seconds between heartbeats, as on the shipped chain's ten minutes: the grace is the
	// same share of the interval.
	assert_eq!(registry.heartbeat_grace * 10, RegistryParams::SHIPPED.heartbeat_grace);

	let (registry, consensus, slot, interval) = build(sp_genesis_builder::DEV_RUNTIME_PRESET);
	assert_eq!(registry, RegistryParams::SHIPPED);
	assert_eq!(consensus, ConsensusParams::SHIPPED);
	assert_eq!((slot, interval), (6_000, 100));
}

/// The block's free liveness budget at the runtime's own figures: `MaxProofsPerBlock` proofs,
/// a signed heartbeat counting as `ProofsPerHeartbeat` of them, whichever comes first. What
/// does not fit is refused by the block (`ExhaustsResources`: the block builder leaves it in the
/// pool) and fits the next; the pool, which validates for a block of its own, keeps admitting it.
#[test]
fn signed_heartbeats_and_proofs_share_the_block_budget_at_the_shipped_parameters() {
	use aicf_primitives::liveness::{link, LivenessProof};
	use aicf_runtime::configs::{MaxProofsPerBatch, MaxProofsPerBlock, ProofsPerHeartbeat};
	use pallet_aicf_registry::{proofs::LivenessChain, LivenessChains};

	new_ext().execute_with(|| {
		let (budget, per_heartbeat, batch) =
			(MaxProofsPerBlock::get(), ProofsPerHeartbeat::get(), MaxProofsPerBatch::get());
		assert_eq!(
			(budget, per_heartbeat),
			(15_000, 12),
			"the figures docs/PERFORMANCE.md §4 states"
		);
		let alice = Sr25519Keyring::Alice;
		let key = RegistryKeypair::from_ml_dsa_seed(&[42; 32]);
		let id = key.public().provider_id();
		apply(signed(alice, register_call(&key, &alice.to_account_id()))).unwrap().unwrap();
		let stake = RuntimeCall::AicfRegistry(RegistryCall::stake {
			provider: id,
			amount: 100 * aicf_runtime::currency::AICF,
		});
		apply(signed(alice, stake)).unwrap().unwrap();
		finish_block();

		// `2 × budget` chains whose proofs are due (written directly: a chain is all a proof
		// reads), each with the preimage of its anchor.
		let chains = 2 * budget;
		let start = System::block_number();
		let preimage = |i: u32| {
			let mut x = [0u8; 32];
			x[..4].copy_from_slice(&i.to_be_bytes());
			x
		};
		let provider_of = |i: u32| {
			let mut raw = [0xAA; aicf_primitives::id::PROVIDER_ID_LEN];
			raw[1..5].copy_from_slice(&i.to_be_bytes());
			ProviderId(raw)
		};
		for i in 0..chains {
			LivenessChains::<Runtime>::insert(
				provider_of(i),
				LivenessChain {
					anchor: link(&preimage(i)),
					remaining: 23,
					last_seen: start,
					missed: 0,
				},
			);
		}
		let proofs = |from: u32, to: u32| -> Vec<aicf_runtime::UncheckedExtrinsic> {
			let items: Vec<LivenessProof> = (from..to)
				.map(|i| LivenessProof { provider: provider_of(i), preimage: preimage(i) })
				.collect();
			items
				.chunks(batch as usize)
				.map(|c| {
					bare(RuntimeCall::AicfRegistry(RegistryCall::prove_liveness {
						proofs: c.to_vec().try_into().unwrap(),
					}))
				})
				.collect()
		};
		let exhausted = TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources);

		// Block A: proofs take all but `per_heartbeat - 1` units; the heartbeat no longer fits.
		let a = start + interval();
		start_block(a);
		let filled = budget - per_heartbeat + 1;
		for xt in proofs(0, filled) {
			apply(xt).unwrap().unwrap();
		}
		assert_eq!(AicfRegistry::liveness_units_in_block(), filled);
		let hb = bare(heartbeat_call(&key, id, 1));
		assert!(pool_validity(hb.clone()).is_ok());
		assert_eq!(apply(hb.clone()), Err(exhausted));
		assert_eq!(Providers::<Runtime>::get(id).unwrap().last_heartbeat, None, "not applied");
		// Proofs up to the budget still fit; one more does not.
		for xt in proofs(filled, budget) {
			apply(xt).unwrap().unwrap();
		}
		assert_eq!(AicfRegistry::liveness_units_in_block(), budget);
		let over = proofs(budget, budget + 1).remove(0);
		assert!(pool_validity(over.clone()).is_ok());
		assert_eq!(apply(over), Err(exhausted));
		finish_block();

		// Block A + 1: the heartbeat first, then `budget - per_heartbeat` proofs, and no more.
		start_block(a + 1);
		assert_eq!(AicfRegistry::liveness_units_in_block(), 0);
		apply(hb).unwrap().unwrap();
		assert_eq!(Providers::<Runtime>::get(id).unwrap().last_heartbeat, Some(a + 1));
		assert_eq!(AicfRegistry::liveness_units_in_block(), per_heartbeat);
		let rest = budget + budget - per_heartbeat;
		for xt in proofs(budget, rest) {
			apply(xt).unwrap().unwrap();
		}
		assert_eq!(AicfRegistry::liveness_units_in_block(), budget);
		assert_eq!(apply(proofs(rest, rest + 1).remove(0)), Err(exhausted));
		let moved = (0..chains)
			.filter(|i| LivenessChains::<Runtime>::get(provider_of(*i)).unwrap().last_seen != start)
			.count();
		assert_eq!(moved as u32, rest, "every proof included applied, none other");
		finish_block();
	});
}

/// `ProofsPerHeartbeat` is what makes the shared budget a bound on weight: every form of a
/// routine signed heartbeat (bare or a general transaction with its authorization, ML-DSA-65 or
/// SLH-DSA-SHA2-128s) must be charged no more than the proofs it counts as, so that a block
/// full of free liveness traffic — any mix — weighs at most `MaxProofsPerBlock` proofs, and
/// that leaves fee-paying transactions at least 0.2 s of the normal class. At the runtime's
/// measured weights.
#[test]
fn a_signed_heartbeat_counts_as_at_least_its_weight_in_proofs_and_free_traffic_leaves_room() {
	use aicf_primitives::KeyAlgorithm;
	use aicf_runtime::configs::{MaxProofsPerBatch, MaxProofsPerBlock, ProofsPerHeartbeat};
	use frame_support::dispatch::DispatchClass;
	use pallet_aicf_registry::heartbeat::heartbeat_slots;

	new_ext().execute_with(|| {
		let weights = <Runtime as frame_system::Config>::BlockWeights::get();
		let normal = weights.get(DispatchClass::Normal);
		let (base, max) = (normal.base_extrinsic.ref_time(), normal.max_total.unwrap().ref_time());
		// A proof in a full batch, the batch's own costs and extrinsic base shared.
		let batch = MaxProofsPerBatch::get();
		let proof = (AicfRegistry::prove_liveness_weight(batch).ref_time() + base)
			.div_ceil(u64::from(batch));
		for alg in [KeyAlgorithm::MlDsa65, KeyAlgorithm::SlhDsaSha2_128s] {
			let units = u64::from(heartbeat_slots(alg) * ProofsPerHeartbeat::get());
			let bare = AicfRegistry::heartbeat_weight(false, alg, false).ref_time() + base;
			let authorized = AicfRegistry::heartbeat_weight(true, alg, false).ref_time()
				+ AicfRegistry::authorize_heartbeat_worst().ref_time()
				- AicfRegistry::authorize_heartbeat_unspent(alg).ref_time()
				+ base;
			for (form, charged) in [("bare", bare), ("general transaction", authorized)] {
				assert!(
					charged <= units * proof,
					"{alg:?} {form} heartbeat: {charged} ps charged, counted as {units} proofs of {proof} ps"
				);
			}
		}
		let free = u64::from(MaxProofsPerBlock::get()) * proof;
		assert!(
			max - free >= 200_000_000_000,
			"free liveness traffic leaves {} ms of {} ms",
			(max - free) / 1_000_000_000,
			max / 1_000_000_000
		);
	});
}
