//! Leases on the shipped runtime, through `AicfJobs` and the real registry, at the runtime's own
//! parameters: a lease requested, completed, credited and claimed; abandonment slashed only
//! when its SLA window closes over the threshold, once per window; punctual completers never
//! slashed over days; a provider that abandons and runs for the exit is slashed first. Every
//! call is an extrinsic applied by `Executive`; `on_idle` and `on_initialize` run as on a node.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

mod common;
use common::*;

use aicf_primitives::{
	keys::RegistryKeypair,
	traits::{CapabilityRequirement, JobRequirements},
	types::{AiCapability, Capabilities},
	ProviderId, ProviderStatus,
};
use aicf_runtime::{
	configs::{AicfTreasuryAccount, OffenceReportWindow, RegistryPot, Sla},
	currency::AICF,
	AicfJobs, AicfRegistry, Balances, Runtime, RuntimeCall, RuntimeEvent, System,
};
use frame_support::traits::{fungible::Inspect, Get};
use pallet_aicf_jobs::{Call as JobsCall, Leases};
use pallet_aicf_registry::{Call as RegistryCall, Event as RegistryEvent, Ledgers, Providers};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{DispatchError, Permill};

const ALICE: Sr25519Keyring = Sr25519Keyring::Alice;
const BOB: Sr25519Keyring = Sr25519Keyring::Bob;
const CHARLIE: Sr25519Keyring = Sr25519Keyring::Charlie;

fn module_error(result: sp_runtime::DispatchResult) -> Option<&'static str> {
	match result {
		Err(DispatchError::Module(m)) => m.message,
		_ => None,
	}
}

fn dispatch(who: Sr25519Keyring, call: RuntimeCall) -> sp_runtime::DispatchResult {
	apply(signed(who, call)).unwrap()
}

fn registry(who: Sr25519Keyring, call: RegistryCall<Runtime>) -> sp_runtime::DispatchResult {
	dispatch(who, RuntimeCall::AicfRegistry(call))
}

fn jobs(who: Sr25519Keyring, call: JobsCall<Runtime>) -> sp_runtime::DispatchResult {
	dispatch(who, RuntimeCall::AicfJobs(call))
}

/// A provider of `model` controlled by `who`: registered, staked with 100 AICF (the AI
/// minimum), attested, one heartbeat in (declares 8 lease slots): ACTIVE.
fn provider(who: Sr25519Keyring, seed: u8, model: &[u8]) -> (ProviderId, RegistryKeypair) {
	provider_staked(who, seed, model, 100 * AICF)
}

/// [`provider`] with `stake` bonded.
fn provider_staked(
	who: Sr25519Keyring,
	seed: u8,
	model: &[u8],
	stake: u128,
) -> (ProviderId, RegistryKeypair) {
	let key = RegistryKeypair::from_ml_dsa_seed(&[seed; 32]);
	let id = key.public().provider_id();
	let mut call = register_call(&key, &who.to_account_id());
	if let RuntimeCall::AicfRegistry(RegistryCall::register { capabilities, .. }) = &mut call {
		*capabilities = Capabilities {
			ai: Some(AiCapability {
				models: vec![model.to_vec().try_into().unwrap()].try_into().unwrap(),
				throughput_milli_tps: 2_500,
			}),
			quantum: None,
		};
	}
	dispatch(who, call).unwrap();
	registry(who, RegistryCall::stake { provider: id, amount: stake }).unwrap();
	dispatch(who, attest_call(id)).unwrap();
	apply(general(heartbeat_call(&key, id, 1))).unwrap().unwrap();
	assert_eq!(status(id), ProviderStatus::Active);
	(id, key)
}

fn wants(model: &[u8]) -> JobRequirements<u128> {
	JobRequirements {
		capability: CapabilityRequirement::Ai { model: model.to_vec().try_into().unwrap() },
		regions: vec![],
		// The registry's own threshold applies; a slash's health decay must not hide the
		// provider from the next request here.
		min_health: Permill::zero(),
		min_stake: 0,
		max_rtt_ms: None,
	}
}

/// Charlie asks for a lease of a `model` provider at 5 AICF for 200 blocks; the lease's id.
fn request(model: &[u8]) -> u64 {
	jobs(
		CHARLIE,
		JobsCall::request_lease { requirements: wants(model), price: 5 * AICF, duration: 200 },
	)
	.unwrap();
	pallet_aicf_jobs::NextLeaseId::<Runtime>::get() - 1
}

fn treasury() -> u128 {
	Balances::balance(&AicfTreasuryAccount::get())
}

fn registry_events() -> Vec<RegistryEvent<Runtime>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::AicfRegistry(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// Finish the current block (its `on_idle`), return the registry's events of the whole block,
/// and start block `n`.
fn step_to(n: u32) -> Vec<RegistryEvent<Runtime>> {
	finish_block();
	let events = registry_events();
	start_block(n);
	events
}

fn slashes_of(events: &[RegistryEvent<Runtime>], id: ProviderId) -> Vec<u128> {
	events
		.iter()
		.filter_map(|e| match e {
			RegistryEvent::Slashed { provider, amount, .. } if *provider == id => Some(*amount),
			_ => None,
		})
		.collect()
}

fn new() -> sp_io::TestExternalities {
	new_ext_with(&[(CHARLIE.to_account_id(), 1_000_000 * AICF)])
}

#[test]
fn the_shipped_sla_rules() {
	new().execute_with(|| {
		let sla = Sla::get();
		assert_eq!(sla.window_blocks, 14_400, "one day");
		assert_eq!(sla.max_failure_ratio, Permill::from_percent(10));
		assert_eq!(sla.min_failures, 3);
		assert_eq!(sla.min_availability, Permill::from_percent(95));
		assert_eq!(sla.availability_windows, 3);
		assert!(OffenceReportWindow::get() >= sla.window_blocks);
	});
}

#[test]
fn a_lease_is_requested_completed_credited_and_claimed() {
	new().execute_with(|| {
		let (id, _) = provider(ALICE, 1, b"llama3-8b");
		let charlie = Balances::balance(&CHARLIE.to_account_id());
		let lease = request(b"llama3-8b");
		assert_eq!(Leases::<Runtime>::get(lease).unwrap().provider, id);
		// quotas.in_use in the provider view.
		assert_eq!(AicfRegistry::provider_info(&id).unwrap().in_use, 1);
		assert_eq!(Balances::balance(&AicfJobs::escrow_account()), 5 * AICF);

		// Only the provider's controller settles.
		assert_eq!(
			module_error(jobs(CHARLIE, JobsCall::complete { lease, result_hash: [1; 32] })),
			Some("NotProviderController")
		);
		let pot = Balances::balance(&RegistryPot::get());
		jobs(ALICE, JobsCall::complete { lease, result_hash: [1; 32] }).unwrap();
		let epoch = AicfJobs::current_epoch();
		assert_eq!(AicfRegistry::pending_payouts(&id), vec![(epoch, 5 * AICF)]);
		assert_eq!(
			AicfRegistry::balance_info(&id).unwrap().pending_payouts,
			vec![(epoch, 5 * AICF)]
		);
		assert_eq!(Balances::balance(&RegistryPot::get()), pot + 5 * AICF);
		assert_eq!(AicfRegistry::provider_info(&id).unwrap().in_use, 0);
		assert!(Balances::balance(&CHARLIE.to_account_id()) < charlie - 5 * AICF + AICF);

		// Governance pays the epoch out to the controller.
		let alice = Balances::balance(&ALICE.to_account_id());
		dispatch(
			ALICE,
			sudo(RuntimeCall::AicfRegistry(RegistryCall::claim_payout { provider: id, epoch })),
		)
		.unwrap();
		sudo_result().unwrap();
		assert!(Balances::balance(&ALICE.to_account_id()) > alice + 5 * AICF - AICF / 100);
		assert!(AicfRegistry::pending_payouts(&id).is_empty());
		assert!(AicfRegistry::balance_info(&id).unwrap().pending_payouts.is_empty());
	});
}

/// Keep `id` attested: a fresh attestation every 12 000 blocks (one counts for a day).
fn reattest(who: Sr25519Keyring, id: ProviderId, n: u32) {
	if n / 12_000 != (n - 100) / 12_000 {
		dispatch(who, attest_call(id)).unwrap();
	}
}

/// Step through blocks `(from, to]` one heartbeat interval at a time, `who`'s provider `id`
/// heartbeating at each (counter from `counter`) and re-attesting daily, as a punctual
/// provider does; the registry's events of every block finished on the way.
fn live(
	who: Sr25519Keyring,
	(id, key): (ProviderId, &RegistryKeypair),
	counter: &mut u64,
	from: u32,
	to: u32,
) -> Vec<RegistryEvent<Runtime>> {
	live_reporting(who, (id, key), counter, (from, to), 9_992)
}

/// [`live`] with every heartbeat reporting `availability_bps`.
fn live_reporting(
	who: Sr25519Keyring,
	(id, key): (ProviderId, &RegistryKeypair),
	counter: &mut u64,
	(from, to): (u32, u32),
	availability_bps: u16,
) -> Vec<RegistryEvent<Runtime>> {
	let mut events = Vec::new();
	let mut n = from;
	while n < to {
		n = (n + 100).min(to);
		events.extend(step_to(n));
		reattest(who, id, n);
		*counter += 1;
		apply(general(heartbeat_with(key, id, *counter, availability_bps))).unwrap().unwrap();
	}
	events
}

#[test]
fn abandonment_is_slashed_when_its_window_closes_over_the_threshold_and_once() {
	new().execute_with(|| {
		let (id, key) = provider(ALICE, 1, b"llama3-8b");
		let mut counter = 1;
		let window = Sla::get().window_blocks;
		// Two abandoned of two: under `min_failures` (3), whatever the share.
		for _ in 0..2 {
			let lease = request(b"llama3-8b");
			jobs(ALICE, JobsCall::abandon { lease }).unwrap();
		}
		let before = treasury();
		let mut events = live(ALICE, (id, &key), &mut counter, 1, window);
		// The sweep closes window 0 in the first block of window 1.
		events.extend(step_to(window + 1));
		assert!(events.iter().any(|e| matches!(e,
			RegistryEvent::SlaWindowClosed { provider, window: 0, abandoned: 2, severity: None, .. }
				if *provider == id)));
		assert!(slashes_of(&events, id).is_empty());
		assert_eq!(treasury(), before);

		// Three of three in window 1: 100 % failed, severity 3.
		for _ in 0..3 {
			let lease = request(b"llama3-8b");
			jobs(ALICE, JobsCall::abandon { lease }).unwrap();
		}
		// Nothing happens at once: no slash for an abandonment, the provider stays ACTIVE.
		assert_eq!(treasury(), before);
		assert_eq!(status(id), ProviderStatus::Active);
		let held = Ledgers::<Runtime>::get(id).unwrap().held();
		let events = live(ALICE, (id, &key), &mut counter, window + 1, 2 * window);
		assert!(slashes_of(&events, id).is_empty(), "not before the window ends");
		assert_eq!(status(id), ProviderStatus::Active);
		// The sweep closes it in the first block of the next window.
		let events = step_to(2 * window + 1);
		assert!(events.iter().any(|e| matches!(e,
			RegistryEvent::SlaWindowClosed { provider, window: 1, abandoned: 3, severity: Some(3), .. }
				if *provider == id)));
		// 0.5 % × severity 3 of the 100 AICF held.
		assert_eq!(slashes_of(&events, id), vec![held * 15 / 1_000]);
		assert_eq!(treasury() - before, 3 * AICF / 2);
		assert_eq!(status(id), ProviderStatus::Jailed);
		// Once per window: the next windows close with nothing to report.
		let mut later = Vec::new();
		for n in [3 * window, 3 * window + 1, 4 * window + 1] {
			later.extend(step_to(n));
		}
		assert!(slashes_of(&later, id).is_empty());
		assert_eq!(treasury() - before, 3 * AICF / 2);
	});
}

#[test]
fn punctual_completers_are_never_slashed_and_abandoners_once_per_window_over_three_days() {
	new().execute_with(|| {
		// 200 AICF each: three 1 % slashes leave the bad one above the 100 AICF minimum, so it
		// stays ACTIVE (and keeps being leased) between them.
		let (good, good_key) = provider_staked(ALICE, 1, b"llama3-8b", 200 * AICF);
		let (bad, bad_key) = provider_staked(BOB, 2, b"mistral-7b", 200 * AICF);
		let (window, interval) = (Sla::get().window_blocks, 100u32);
		let days = 3;
		let mut counter = 1;
		let mut events = Vec::new();
		let mut k = 0u32;
		let before_good = Ledgers::<Runtime>::get(good).unwrap().held();
		// Every interval, as a matcher's traffic: each provider gets a lease. The good one
		// completes all but one in 20 (5 %, under the 10 % threshold); the bad one abandons one
		// in 4 (25 %: severity 2, 1 % of its stake, no jail).
		let mut n = 1;
		while n + interval < days * window {
			n += interval;
			events.extend(step_to(n));
			reattest(ALICE, good, n);
			reattest(BOB, bad, n);
			counter += 1;
			apply(general(heartbeat_call(&good_key, good, counter))).unwrap().unwrap();
			apply(general(heartbeat_call(&bad_key, bad, counter))).unwrap().unwrap();
			k += 1;
			let lease = request(b"llama3-8b");
			let settle = if k.is_multiple_of(20) {
				JobsCall::abandon { lease }
			} else {
				JobsCall::complete { lease, result_hash: [0; 32] }
			};
			jobs(ALICE, settle).unwrap();
			let lease = request(b"mistral-7b");
			let settle = if k.is_multiple_of(4) {
				JobsCall::abandon { lease }
			} else {
				JobsCall::complete { lease, result_hash: [0; 32] }
			};
			jobs(BOB, settle).unwrap();
			assert_eq!(status(good), ProviderStatus::Active, "block {n}");
			assert_eq!(status(bad), ProviderStatus::Active, "block {n}");
		}
		// The last window (ending at block `days · window`) closes on the sweep of the first
		// block after it.
		events.extend(step_to(days * window + 1));
		events.extend(step_to(days * window + 2));
		let closed = |id| {
			events
				.iter()
				.filter(
					|e| matches!(e, RegistryEvent::SlaWindowClosed { provider, .. } if *provider == id),
				)
				.count()
		};
		assert_eq!(closed(good), days as usize, "one closing a day");
		assert_eq!(closed(bad), days as usize);
		assert!(slashes_of(&events, good).is_empty());
		assert_eq!(Ledgers::<Runtime>::get(good).unwrap().held(), before_good);
		// One 1 % slash a day, each of what was left.
		let slashes = slashes_of(&events, bad);
		assert_eq!(slashes.len(), days as usize);
		let mut held = 200 * AICF;
		for s in slashes {
			assert_eq!(s, held / 100);
			held -= s;
		}
		assert_eq!(Ledgers::<Runtime>::get(bad).unwrap().held(), held);
	});
}

#[test]
fn a_provider_that_abandons_and_runs_is_slashed_before_its_stake_leaves() {
	new().execute_with(|| {
		let (id, _) = provider(ALICE, 1, b"llama3-8b");
		for _ in 0..3 {
			let lease = request(b"llama3-8b");
			jobs(ALICE, JobsCall::abandon { lease }).unwrap();
		}
		let released_at = System::block_number();
		registry(ALICE, RegistryCall::unstake { provider: id, amount: 100 * AICF }).unwrap();
		let window = OffenceReportWindow::get();
		// Unlocked after 3 hours; held for the report window after the last lease.
		step_to(1 + 600 + 1_200);
		assert_eq!(
			module_error(registry(ALICE, RegistryCall::withdraw { provider: id })),
			Some("InCooldown")
		);
		// The SLA window ended before the funds could leave, and no sweep has run since: the
		// provider's own withdraw closes the window first, and the breach is slashed instead.
		step_to(released_at + window);
		let before = treasury();
		registry(ALICE, RegistryCall::withdraw { provider: id }).unwrap();
		let events = registry_events();
		assert!(events
			.iter()
			.any(|e| matches!(e, RegistryEvent::SlaWindowClosed { severity: Some(3), .. })));
		assert!(!events.iter().any(|e| matches!(e, RegistryEvent::Withdrawn { .. })));
		assert_eq!(treasury() - before, 3 * AICF / 2, "1.5 % of the 100 AICF");
		let ledger = Ledgers::<Runtime>::get(id).unwrap();
		assert_eq!(ledger.held(), 100 * AICF - 3 * AICF / 2);
		// The rest leaves after the slash's cooldown.
		let cooldown = Providers::<Runtime>::get(id).unwrap().cooldown_until;
		step_to(cooldown);
		registry(ALICE, RegistryCall::withdraw { provider: id }).unwrap();
		assert_eq!(Ledgers::<Runtime>::get(id).unwrap().held(), 0);
	});
}

#[test]
fn availability_below_target_three_days_running_is_a_breach_on_the_third_and_after() {
	new().execute_with(|| {
		let (id, key) = provider_staked(ALICE, 1, b"llama3-8b", 200 * AICF);
		let (window, runs) = (Sla::get().window_blocks, Sla::get().availability_windows);
		assert_eq!(runs, 3);
		// An SLA record exists once the provider has held a lease.
		let lease = request(b"llama3-8b");
		jobs(ALICE, JobsCall::complete { lease, result_hash: [0; 32] }).unwrap();
		let mut counter = 1;
		// 90 % availability reported for four days (below the 95 % target; health stays
		// above the 60 % threshold, so the provider stays ACTIVE and heartbeats throughout).
		let closed = |events: Vec<RegistryEvent<Runtime>>| {
			events
				.into_iter()
				.filter_map(|e| match e {
					RegistryEvent::SlaWindowClosed {
						provider,
						window,
						availability,
						severity,
						..
					} if provider == id => Some((window, availability, severity)),
					_ => None,
				})
				.collect::<Vec<_>>()
		};
		let mut closings = Vec::new();
		for day in 1..=4 {
			let events = live_reporting(
				ALICE,
				(id, &key),
				&mut counter,
				((day - 1) * window + 1, day * window + 1),
				9_000,
			);
			closings.extend(closed(events));
			assert_eq!(status(id), ProviderStatus::Active, "day {day}");
		}
		// The fourth day's window closed in the block just started.
		closings.extend(closed(step_to(4 * window + 2)));
		let low = Some(Permill::from_percent(90));
		// Days 0 and 1 are low but not yet a run of 3; day 2 is, and day 3 still is.
		assert_eq!(
			closings,
			vec![(0, low, None), (1, low, None), (2, low, Some(1)), (3, low, Some(1))],
			"{closings:?}"
		);
	});
}
