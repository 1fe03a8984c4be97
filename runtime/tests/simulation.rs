//! Seven days of the real runtime with a thousand providers (`docs/simulation.md`).
//!
//! The real `aicf-runtime` — its `Config`, its parameters — driven as a node drives it: every
//! extrinsic built, signed and applied through `Executive`, blocks initialized with their Aura
//! slot and timestamp inherent and finalized with `on_idle`, `on_finalize` and the state root.
//! Providers act on every `STEP`-th block only (cron schedules land on those), so the blocks in
//! between are empty and skipped.
//!
//! The population: punctual providers (heartbeats at the interval ± 20 % jitter), flaky ones
//! (miss one heartbeat in five), degraded (85 % availability) and poor (40 %) ones, silent ones
//! (stop on some day; jailed through each of the three routes), unstaked registrations trying to
//! heartbeat for free, and providers whose registry key leaks to an attacker who tries to brick
//! the counter, until the controller rotates the key.
//!
//! Punctual, degraded and silent providers prove liveness the way the `aicf` daemon does: a
//! signed heartbeat committing to a hash chain of `MaxLivenessChain` proofs, then one proof an
//! interval (in batches of `prove_liveness`), then the next signed heartbeat. Providers whose
//! chain seed is stolen die, and the thief proves them alive with the rest of the chain.
//!
//! ML-DSA signing is the cost of the run: heartbeats are signed by a second thread (with
//! `libcrux-ml-dsa`, deterministic signing, the same bytes any FIPS 204 signer gives) while the
//! main thread executes blocks.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects,
	clippy::too_many_arguments
)]

mod common;
use common::*;

use aicf_primitives::liveness::{chain_seed, HashChain, LivenessProof};
use aicf_primitives::{
	crypto::{SignatureBytes, SIGNING_CONTEXT},
	payload::{HeartbeatReport, RegistrationPayload, RotationPayload},
	types::AiCapability,
	Capabilities, KeyAlgorithm, ProviderId, ProviderStatus, RegistryPublicKey,
};
use aicf_runtime::{
	configs::{
		AicfTreasuryAccount, HeartbeatGrace, HeartbeatInterval, MaxLivenessChain, MaxProofsPerBatch,
	},
	currency::AICF,
	parameters::RegistryParams,
	AccountId, AicfRegistry, Balances, Runtime, RuntimeCall, RuntimeEvent, System, DAYS, HOURS,
};
use codec::Encode;
use frame_support::traits::fungible::Inspect;
use frame_support::traits::Get;
use libcrux_ml_dsa::ml_dsa_65;
use pallet_aicf_registry::{Call as RegistryCall, Heartbeat, Providers};
use sp_core::Pair as _;
use sp_runtime::{
	transaction_validity::{InvalidTransaction, TransactionValidityError},
	Permill,
};
use std::collections::BTreeMap;
use std::sync::mpsc;
use std::time::Instant;

const PROVIDERS: u32 = 1_000;
const SIM_DAYS: u32 = 7;
/// Providers act on every `STEP`-th block; the blocks between are empty and skipped.
const STEP: u32 = 10;
/// Providers per controller account (the runtime allows 16).
const PER_CONTROLLER: u32 = 10;
/// Providers registered (and staked and attested) per setup block.
const SETUP_PER_BLOCK: u32 = 100;
/// Attestations are renewed every 20 hours (they count for one day).
const RENEW_EVERY: u32 = 20 * HOURS;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Route {
	Touch,
	Report,
	Idle,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
	Punctual,
	Flaky,
	Degraded,
	Poor,
	Silent(Route),
	Unstaked,
	Compromised,
	/// Dies on some day; a thief with its chain seed proves it alive with the rest of the
	/// chain.
	SeedStolen,
}

fn kind(p: u32) -> Kind {
	match p {
		0..770 => Kind::Punctual,
		770..780 => Kind::SeedStolen,
		780..880 => Kind::Flaky,
		880..910 => Kind::Degraded,
		910..930 => Kind::Poor,
		930..940 => Kind::Silent(Route::Touch),
		940..950 => Kind::Silent(Route::Report),
		950..960 => Kind::Silent(Route::Idle),
		960..980 => Kind::Unstaked,
		_ => Kind::Compromised,
	}
}

/// Proofs a liveness chain holds (the runtime's `MaxLivenessChain`: a signed heartbeat every
/// 24 intervals).
const CHAIN: u32 = 23;

/// Whether `p` proves liveness with hash chains between signed heartbeats (flaky, poor and
/// compromised providers sign every heartbeat, as `aicf provider heartbeat` from cron does).
fn uses_proofs(p: u32) -> bool {
	matches!(kind(p), Kind::Punctual | Kind::Degraded | Kind::Silent(_) | Kind::SeedStolen)
}

/// A liveness event of a provider.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ev {
	/// A signed heartbeat (committing to a new chain if the provider uses proofs).
	Signed,
	/// Proof `i` of the current chain.
	Proof(u32),
}

/// `p`'s liveness events: at each of its heartbeat slots, a signed heartbeat every
/// `CHAIN + 1` slots and proofs between. A provider whose seed is stolen dies at
/// `silent_from`; the thief then sends the rest of the chain's proofs and nothing else.
fn events(p: u32) -> Vec<(u32, Ev)> {
	let death = if kind(p) == Kind::SeedStolen { silent_from(p) } else { u32::MAX };
	let mut out = Vec::new();
	for (k, b) in heartbeat_blocks(p).into_iter().enumerate() {
		let pos = if uses_proofs(p) { k as u32 % (CHAIN + 1) } else { 0 };
		match (b >= death, pos) {
			(true, 0) => break,
			(_, 0) => out.push((b, Ev::Signed)),
			(_, i) => out.push((b, Ev::Proof(i))),
		}
	}
	out
}

/// The secret `p` derives its chain seeds from.
fn chain_secret(p: u32) -> [u8; 32] {
	let mut s = [0xc5; 32];
	s[..4].copy_from_slice(&p.to_le_bytes());
	s
}

/// Availability each kind reports, in basis points.
fn availability(p: u32) -> u16 {
	match kind(p) {
		Kind::Punctual => 9_900 + (p * 37 % 100) as u16,
		Kind::Degraded => 8_500,
		Kind::Poor => 4_000,
		_ => 9_900,
	}
}

/// The heartbeat interval in force: the shipped default (checked against the runtime's
/// `Config` at genesis; the plan is drawn before the chain exists).
fn interval() -> u32 {
	RegistryParams::SHIPPED.heartbeat_interval
}

/// Last block of the run.
fn end() -> u32 {
	SIM_DAYS * DAYS
}

/// Setup block of provider `p` (registered, staked, attested there).
fn setup_block(p: u32) -> u32 {
	1 + p / SETUP_PER_BLOCK
}

/// The block from which a silent provider sends nothing (heartbeats, renewals).
fn silent_from(p: u32) -> u32 {
	((1 + p % 5) * DAYS + (p % 7) * HOURS) / STEP * STEP
}

/// The block at which a compromised provider's key leaks (and the attacker acts): three
/// steps after one of its heartbeats on day 3, so its heartbeats are not too early, and
/// before the next honest one (at least 60 blocks later).
fn leak_at(p: u32) -> u32 {
	let around = 3 * DAYS + (p % 20) * HOURS / 2;
	heartbeat_blocks(p).into_iter().find(|&b| b >= around).unwrap() + 3 * STEP
}

/// Deterministic generator (a linear congruential one).
struct Lcg(u64);
impl Lcg {
	fn below(&mut self, n: u64) -> u64 {
		self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
		(self.0 >> 33) % n
	}
}

/// Blocks at which `p` heartbeats: every interval ± 20 % jitter (in whole steps), a flaky
/// provider skipping every fifth; a silent one stopping.
fn heartbeat_blocks(p: u32) -> Vec<u32> {
	let (i, jitter_steps) = (interval(), interval() / 5 / STEP);
	let first = 20 + STEP * (p % 20);
	let mut rng = Lcg(u64::from(p) + 1);
	let stop = match kind(p) {
		Kind::Silent(_) => silent_from(p),
		_ => end(),
	};
	let mut out = Vec::new();
	for k in 0u32.. {
		let jitter = if k == 0 {
			0
		} else {
			(rng.below(u64::from(2 * jitter_steps + 1)) as i64 - i64::from(jitter_steps))
				* i64::from(STEP)
		};
		let at = (i64::from(first + k * i) + jitter) as u32;
		if at >= stop {
			break;
		}
		if kind(p) == Kind::Flaky && k % 5 == 4 {
			continue;
		}
		out.push(at);
	}
	out
}

/// Blocks at which `p` submits attestation `r` (the index in the returned list).
fn attestation_blocks(p: u32) -> Vec<u32> {
	if kind(p) == Kind::Unstaked {
		return Vec::new();
	}
	let stop = match kind(p) {
		Kind::Silent(_) => silent_from(p),
		_ => end(),
	};
	let offset = STEP * (p % 200);
	std::iter::once(setup_block(p))
		.chain((1..).map(|r| r * RENEW_EVERY + offset))
		.take_while(|&b| b < stop)
		.collect()
}

/// An ML-DSA-65 registry key signing with `libcrux-ml-dsa` (deterministic: zero randomness).
struct Key(ml_dsa_65::MLDSA65KeyPair);

impl Key {
	fn new(seed: u32, generation: u8) -> Self {
		let mut xi = [generation; 32];
		xi[..4].copy_from_slice(&seed.to_le_bytes());
		Self(ml_dsa_65::generate_key_pair(xi))
	}

	fn public(&self) -> RegistryPublicKey {
		RegistryPublicKey {
			alg: KeyAlgorithm::MlDsa65,
			bytes: self.0.verification_key.as_slice().to_vec().try_into().unwrap(),
		}
	}

	fn sign(&self, message: &[u8]) -> SignatureBytes {
		let sig = ml_dsa_65::sign(&self.0.signing_key, message, SIGNING_CONTEXT, [0; 32]).unwrap();
		sig.as_slice().to_vec().try_into().unwrap()
	}
}

fn heartbeat(
	key: &Key,
	genesis: [u8; 32],
	provider: ProviderId,
	counter: u64,
	at: u32,
	attest_hash: [u8; 32],
	availability_bps: u16,
	liveness: Option<aicf_primitives::liveness::LivenessCommitment>,
) -> RuntimeCall {
	let heartbeat = Heartbeat {
		provider,
		counter,
		timestamp: time_of(at) / 1000,
		attest_hash,
		report: HeartbeatReport {
			rtt_ms_p50: 40,
			availability_bps,
			leases_active: 1,
			leases_capacity: 8,
		},
		liveness,
	};
	let signature = key.sign(&heartbeat.payload(genesis).encode());
	RuntimeCall::AicfRegistry(RegistryCall::heartbeat { heartbeat, signature })
}

/// Development evidence of `provider` (an `ai` provider) under registry key hash `key_hash`,
/// for submission in block `at`: a development CCA realm bound to block `at - 1`.
fn evidence(provider: ProviderId, key_hash: [u8; 32], at: u32) -> Vec<u8> {
	let caps = Capabilities {
		ai: Some(AiCapability {
			models: vec![b"llama3-8b".to_vec().try_into().unwrap()].try_into().unwrap(),
			throughput_milli_tps: 1,
		}),
		quantum: None,
	};
	dev_evidence(provider, &caps, key_hash, at - 1).remove(0).1
}

/// `submit_attestation` of `evidence` made by [`evidence`] for block `at`.
fn submit_evidence(provider: ProviderId, evidence: Vec<u8>, at: u32) -> RuntimeCall {
	RuntimeCall::AicfAttestation(pallet_aicf_attestation::Call::submit_attestation {
		provider,
		kind: aicf_primitives::traits::EvidenceKind::Cca,
		challenge_block: at - 1,
		evidence: evidence.try_into().unwrap(),
	})
}

/// What the signing thread hands the block executor for one block.
#[derive(Default)]
struct Batch {
	attestations: Vec<(u32, Vec<u8>)>,
	heartbeats: Vec<(u32, RuntimeCall)>,
	proofs: Vec<(u32, LivenessProof)>,
}

/// Per block: the providers' liveness events, and the (provider, renewal) attestations.
type Plan = BTreeMap<u32, (Vec<(u32, Ev)>, Vec<(u32, u32)>)>;

/// Sign every planned heartbeat and build every attestation, block by block, in order.
/// Evidence binds the key the provider has when it is submitted: a rotated provider's new key
/// (from `rotated`: the block of the rotation and the new key's hash) after its rotation block.
fn sign_ahead(
	plan: Plan,
	keys: &[Key],
	ids: &[ProviderId],
	rotated: &BTreeMap<u32, (u32, [u8; 32])>,
	genesis: [u8; 32],
	out: mpsc::SyncSender<(u32, Batch)>,
) {
	let mut attest_hash = vec![[0u8; 32]; keys.len()];
	let mut counter = vec![0u64; keys.len()];
	let mut chains: Vec<Option<HashChain>> = vec![None; keys.len()];
	for (block, (beats, attest)) in plan {
		let mut batch = Batch::default();
		for (p, _renewal) in attest {
			let key_hash = match rotated.get(&p) {
				Some(&(at, new)) if block > at => new,
				_ => keys[p as usize].public().key_hash(),
			};
			let e = evidence(ids[p as usize], key_hash, block);
			attest_hash[p as usize] = aicf_attestation_verify::evidence_hash(&e);
			batch.attestations.push((p, e));
		}
		for (p, ev) in beats {
			let pi = p as usize;
			if let Ev::Proof(i) = ev {
				let preimage = chains[pi].and_then(|c| c.proof(i)).unwrap();
				batch.proofs.push((p, LivenessProof { provider: ids[pi], preimage }));
				continue;
			}
			// The unstaked never get a heartbeat in: they retry with counter 1.
			counter[pi] = if kind(p) == Kind::Unstaked { 1 } else { counter[pi] + 1 };
			chains[pi] = uses_proofs(p).then(|| HashChain {
				seed: chain_seed(
					&chain_secret(p),
					&genesis,
					&ids[pi],
					&keys[pi].public().key_hash(),
					counter[pi],
				),
				length: CHAIN,
			});
			let call = heartbeat(
				&keys[pi],
				genesis,
				ids[pi],
				counter[pi],
				block,
				attest_hash[pi],
				availability(p),
				chains[pi].map(|c| c.commitment()),
			);
			batch.heartbeats.push((p, call));
		}
		if out.send((block, batch)).is_err() {
			return;
		}
	}
}

fn record(id: ProviderId) -> pallet_aicf_registry::ProviderRecordOf<Runtime> {
	Providers::<Runtime>::get(id).unwrap()
}

fn fraction(p: Permill) -> String {
	format!("{:.4}", f64::from(p.deconstruct()) / 1e6)
}

/// The first block the simulation executes at or after `b`.
fn executed_from(b: u32) -> u32 {
	b.div_ceil(STEP) * STEP
}

#[derive(Default)]
struct Tally {
	heartbeats: u64,
	proofs: u64,
	proof_batches: u32,
	/// Seed-stolen providers: the thief's proofs included after the provider died.
	thief_proofs: BTreeMap<u32, u32>,
	stolen_exhausted_refused: u32,
	punctual_ineligible: u32,
	punctual_lowest: Option<Permill>,
	flaky_lowest: Option<Permill>,
	flaky_late: u32,
	degraded_range: Option<(Permill, Permill)>,
	poor_eligible: u32,
	unstaked_refused: u32,
	unstaked_included: u32,
	attack_refused: u32,
	attack_jumps: u32,
	jailed_by: BTreeMap<&'static str, (u32, u32)>, // route → (count, latest blocks after silence)
	hours_checked: u32,
	fees: u128,
	slashed: u128,
}

fn lowest(slot: &mut Option<Permill>, v: Permill) {
	*slot = Some(slot.map_or(v, |s| s.min(v)));
}

#[test]
fn simulation_seven_days_a_thousand_providers() {
	let started = Instant::now();
	let controllers: Vec<sp_core::sr25519::Pair> = (0..PROVIDERS / PER_CONTROLLER)
		.map(|c| sp_core::sr25519::Pair::from_seed(&[c as u8 + 1; 32]))
		.collect();
	let reporter = sp_core::sr25519::Pair::from_seed(&[0xee; 32]);
	let funded: Vec<(AccountId, u128)> = controllers
		.iter()
		.chain([&reporter])
		.map(|c| (AccountId::from(c.public()), 100_000 * AICF))
		.collect();
	let controller = |p: u32| &controllers[(p / PER_CONTROLLER) as usize];
	let keys: Vec<Key> = (0..PROVIDERS).map(|p| Key::new(p, 1)).collect();
	let ids: Vec<ProviderId> = keys.iter().map(|k| k.public().provider_id()).collect();
	// The attacker's copy of a leaked key is the key itself; the controller rotates to these.
	let rotated: BTreeMap<u32, Key> = (0..PROVIDERS)
		.filter(|&p| kind(p) == Kind::Compromised)
		.map(|p| (p, Key::new(p, 2)))
		.collect();

	let mut ext = new_ext_with(&funded);
	let genesis = ext.execute_with(genesis_hash);
	ext.execute_with(|| {
		assert_eq!(HeartbeatInterval::get(), interval());
		assert_eq!(HeartbeatGrace::get(), RegistryParams::SHIPPED.heartbeat_grace);
		assert_eq!(MaxLivenessChain::get(), CHAIN);
	});
	let issuance_before = ext.execute_with(Balances::total_issuance);
	let treasury_before = ext.execute_with(|| Balances::balance(&AicfTreasuryAccount::get()));

	// The plan the signing thread follows; compromised providers are signed here instead (their
	// counter depends on what the attacker did).
	let mut plan = Plan::new();
	let mut compromised_at: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
	let mut last_heartbeat: BTreeMap<u32, u32> = BTreeMap::new();
	// Seed-stolen providers: the proofs the thief has left when the provider dies.
	let mut stolen_spans: BTreeMap<u32, u32> = BTreeMap::new();
	for p in 0..PROVIDERS {
		for (r, b) in attestation_blocks(p).into_iter().enumerate() {
			plan.entry(b).or_default().1.push((p, r as u32));
		}
		let evs = events(p);
		if let Some(&(l, _)) = evs.last() {
			last_heartbeat.insert(p, l);
		}
		if kind(p) == Kind::SeedStolen {
			let thief = evs.iter().filter(|(b, _)| *b >= silent_from(p)).count() as u32;
			stolen_spans.insert(p, thief);
		}
		for (b, ev) in evs {
			if kind(p) == Kind::Compromised {
				compromised_at.entry(b).or_default().push(p);
			} else {
				plan.entry(b).or_default().0.push((p, ev));
			}
		}
	}
	// Setup blocks carry no heartbeats; every other executed block is a multiple of STEP.
	assert!(plan.keys().all(|b| *b <= setup_block(PROVIDERS - 1) || b % STEP == 0));
	let (tx, rx) = mpsc::sync_channel::<(u32, Batch)>(256);

	let mut t = Tally::default();
	let mut blocks_run = 0u32;
	let (i, g) = (interval(), RegistryParams::SHIPPED.heartbeat_grace);
	let mut stolen_tried = std::collections::BTreeSet::new();
	std::thread::scope(|s| {
		let (keys_ref, ids_ref) = (&keys, &ids);
		let rotation_plan: BTreeMap<u32, (u32, [u8; 32])> = rotated
			.iter()
			.map(|(&p, k)| (p, (leak_at(p) + HOURS, k.public().key_hash())))
			.collect();
		s.spawn(move || sign_ahead(plan, keys_ref, ids_ref, &rotation_plan, genesis, tx));

		// Silent providers: the blocks around their deadlines.
		let mut silent_checks: BTreeMap<u32, Vec<(u32, &'static str)>> = BTreeMap::new();
		for p in (0..PROVIDERS).filter(|p| matches!(kind(*p), Kind::Silent(_) | Kind::SeedStolen)) {
			let l = last_heartbeat[&p];
			let checks = [
				((l + i + g) / STEP * STEP, "still-eligible"),
				(executed_from(l + i + g + 1), "ineligible"),
				(executed_from(l + 3 * i + g + 1) - STEP, "not-yet"),
				(executed_from(l + 3 * i + g + 1), "jail"),
			];
			for (b, what) in checks {
				silent_checks.entry(b).or_default().push((p, what));
			}
		}
		let mut awaiting_sweep: BTreeMap<u32, u32> = BTreeMap::new(); // provider → jail block
		let leaks: BTreeMap<u32, Vec<u32>> = rotated.keys().fold(BTreeMap::new(), |mut m, &p| {
			m.entry(leak_at(p)).or_insert_with(Vec::new).push(p);
			m
		});
		let rotations: BTreeMap<u32, Vec<u32>> =
			rotated.keys().fold(BTreeMap::new(), |mut m, &p| {
				m.entry(leak_at(p) + HOURS).or_insert_with(Vec::new).push(p);
				m
			});
		let mut next_hour = HOURS;

		// Every block any provider or scenario acts in, in order.
		let mut scenario_blocks: Vec<u32> = compromised_at
			.keys()
			.chain(silent_checks.keys())
			.chain(leaks.keys())
			.chain(rotations.keys())
			.copied()
			.chain([end()])
			.collect();
		scenario_blocks.sort_unstable();
		scenario_blocks.dedup();
		let mut scenario = scenario_blocks.into_iter().peekable();
		let mut signed_batches = rx.into_iter().peekable();

		loop {
			let next_signed = signed_batches.peek().map(|(b, _)| *b);
			let next_scenario = scenario.peek().copied();
			let n = match (next_signed, next_scenario) {
				(None, None) => break,
				(Some(a), Some(b)) => a.min(b),
				(Some(a), None) => a,
				(None, Some(b)) => b,
			};
			let batch = if next_signed == Some(n) {
				signed_batches.next().unwrap().1
			} else {
				Batch::default()
			};
			if next_scenario == Some(n) {
				scenario.next();
			}
			blocks_run += 1;
			ext.execute_with(|| {
				if n > 1 {
					start_block(n);
				}
				let now = System::block_number();
				// Setup: register, stake, and the first attestation below.
				if n <= setup_block(PROVIDERS - 1) {
					for p in (n - 1) * SETUP_PER_BLOCK..n * SETUP_PER_BLOCK {
						let c = controller(p);
						let pk = keys[p as usize].public();
						let pop = keys[p as usize].sign(
							&RegistrationPayload {
								genesis,
								provider: pk.provider_id(),
								controller: AccountId::from(c.public()).encode(),
								alg: pk.alg.id(),
							}
							.encode(),
						);
						let register = RuntimeCall::AicfRegistry(RegistryCall::register {
							key: pk,
							pop_signature: pop,
							capabilities: Capabilities {
								ai: Some(AiCapability {
									models: vec![b"llama3-8b".to_vec().try_into().unwrap()]
										.try_into()
										.unwrap(),
									throughput_milli_tps: 2_500,
								}),
								quantum: None,
							},
							region: b"us-west-2".to_vec().try_into().unwrap(),
							endpoint: b"https://api.provider.example".to_vec().try_into().unwrap(),
							contact: b"ops@provider.example".to_vec().try_into().unwrap(),
						});
						apply(signed_by(c, register)).unwrap().unwrap();
						if kind(p) != Kind::Unstaked {
							let stake = RuntimeCall::AicfRegistry(RegistryCall::stake {
								provider: ids[p as usize],
								amount: 100 * AICF,
							});
							apply(signed_by(c, stake)).unwrap().unwrap();
						}
					}
				}
				for (p, e) in batch.attestations {
					let call = submit_evidence(ids[p as usize], e, n);
					apply(signed_by(controller(p), call)).unwrap().unwrap();
				}
				for (p, call) in batch.heartbeats {
					let id = ids[p as usize];
					let before = record(id);
					let effective = AicfRegistry::effective_status(&id, &before, now);
					let health = AicfRegistry::effective_health(&id, &before, now);
					match kind(p) {
						Kind::Unstaked => {
							let xt = general(call);
							assert_eq!(
								pool_validity(xt.clone()),
								Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(
									9
								)))
							);
							// A block author that skips the pool cannot include it either.
							match apply(xt) {
								Err(_) => t.unstaked_refused += 1,
								Ok(_) => t.unstaked_included += 1,
							}
							continue;
						},
						Kind::Punctual if before.last_heartbeat.is_some() => {
							if effective != ProviderStatus::Active {
								t.punctual_ineligible += 1;
							}
							lowest(&mut t.punctual_lowest, health);
						},
						Kind::Flaky if before.last_heartbeat.is_some() => {
							let missed = AicfRegistry::missed(&id, &before, now);
							assert!(missed <= 1, "flaky {p} missed {missed} at {n}");
							assert_eq!(before.status, ProviderStatus::Active, "flaky {p} at {n}");
							if missed == 1 {
								// The table: ineligible after one missed deadline, not jailed.
								assert_eq!(effective, ProviderStatus::Registered);
								t.flaky_late += 1;
							}
							lowest(&mut t.flaky_lowest, health);
						},
						_ => {},
					}
					apply(general(call)).unwrap().unwrap();
					t.heartbeats += 1;
					if !matches!(kind(p), Kind::Degraded | Kind::Poor) {
						continue;
					}
					let after = record(id);
					match kind(p) {
						Kind::Degraded if after.heartbeat.counter > 20 => {
							let h = after.heartbeat.health;
							t.degraded_range = Some(
								t.degraded_range.map_or((h, h), |(lo, hi)| (lo.min(h), hi.max(h))),
							);
							assert_eq!(after.status, ProviderStatus::Active);
						},
						Kind::Poor
							if AicfRegistry::effective_status(&id, &after, now)
								== ProviderStatus::Active =>
						{
							t.poor_eligible += 1;
						},
						_ => {},
					}
				}
				// Liveness proofs, in batches of ascending provider ids (as a relayer sends them).
				// (Punctual providers' effective status is checked before each of their signed
				// heartbeats and every hour; reading every proven provider's record here too
				// would double the run's storage reads for no other check.)
				let mut proofs = batch.proofs;
				proofs.sort_by_key(|(_, proof)| proof.provider);
				let per_batch = MaxProofsPerBatch::get() as usize;
				for chunk in proofs.chunks(per_batch) {
					let call = RuntimeCall::AicfRegistry(RegistryCall::prove_liveness {
						proofs: chunk
							.iter()
							.map(|(_, proof)| *proof)
							.collect::<Vec<_>>()
							.try_into()
							.unwrap(),
					});
					// The pool's check on one batch in 32 (the block re-checks every one).
					if t.proof_batches % 32 == 0 {
						assert!(pool_validity(bare(call.clone())).is_ok(), "batch at {n}");
					}
					apply(bare(call)).unwrap().unwrap();
					// Every item applied: a block skips (and weighs) items invalid since the
					// pool, which would hide a proof that should have counted.
					let proven = System::events().iter().rev().find_map(|e| match e.event {
						RuntimeEvent::AicfRegistry(
							pallet_aicf_registry::Event::LivenessProven { count, skipped },
						) => Some((count, skipped)),
						_ => None,
					});
					assert_eq!(proven, Some((chunk.len() as u32, 0)), "batch at {n}");
					for (p, _) in chunk {
						if kind(*p) == Kind::SeedStolen && n >= silent_from(*p) {
							*t.thief_proofs.entry(*p).or_default() += 1;
						}
					}
					t.proofs += chunk.len() as u64;
					t.proof_batches += 1;
				}
				// Compromised providers: honest heartbeats read the counter back from the chain
				// (as `aicf` does), so an attacker's jump does not stall them.
				for &p in compromised_at.get(&n).map(Vec::as_slice).unwrap_or(&[]) {
					let id = ids[p as usize];
					let r = record(id);
					let attest =
						r.attestations.ai.as_ref().map(|a| a.evidence_hash).unwrap_or([0; 32]);
					if r.last_heartbeat.is_some_and(|l| n < l + 10) {
						continue; // the attacker's heartbeat was in this minute
					}
					let rotated_now = n > leak_at(p) + HOURS;
					if rotated_now && !stolen_tried.contains(&p) {
						// The attacker's next try, with the counter the chain now expects.
						let stolen = general(heartbeat(
							&keys[p as usize],
							genesis,
							id,
							r.heartbeat.counter + 1,
							n,
							attest,
							0,
							None,
						));
						assert_eq!(
							pool_validity(stolen.clone()),
							Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof)),
							"the leaked key is worthless after the rotation"
						);
						assert!(apply(stolen).is_err());
						t.attack_refused += 1;
						stolen_tried.insert(p);
					}
					let key = if rotated_now { &rotated[&p] } else { &keys[p as usize] };
					let call = heartbeat(
						key,
						genesis,
						id,
						r.heartbeat.counter + 1,
						n,
						attest,
						9_950,
						None,
					);
					apply(general(call)).unwrap().unwrap();
					t.heartbeats += 1;
					assert_eq!(status(id), ProviderStatus::Active, "compromised {p} at {n}");
				}
				for &p in leaks.get(&n).map(Vec::as_slice).unwrap_or(&[]) {
					// The attacker tries to brick the counter: refused in the pool and the block.
					let id = ids[p as usize];
					let r = record(id);
					let attest =
						r.attestations.ai.as_ref().map(|a| a.evidence_hash).unwrap_or([0; 32]);
					let brick = general(heartbeat(
						&keys[p as usize],
						genesis,
						id,
						u64::MAX,
						n,
						attest,
						0,
						None,
					));
					assert_eq!(
						pool_validity(brick.clone()),
						Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(10)))
					);
					assert!(apply(brick).is_err());
					t.attack_refused += 1;
					// The largest step it may take is accepted (the key is valid), reporting
					// zero availability: the damage is one report and a counter 1 000 ahead.
					if r.last_heartbeat.is_none_or(|l| n >= l + 10) {
						let step =
							<Runtime as pallet_aicf_registry::Config>::MaxHeartbeatCounterStep::get(
							);
						let jump = r.heartbeat.counter + step;
						let xt = general(heartbeat(
							&keys[p as usize],
							genesis,
							id,
							jump,
							n,
							attest,
							0,
							None,
						));
						apply(xt).unwrap().unwrap();
						assert_eq!(record(id).heartbeat.counter, jump);
						assert_eq!(status(id), ProviderStatus::Active, "one bad report");
						t.attack_jumps += 1;
					}
				}
				for &p in rotations.get(&n).map(Vec::as_slice).unwrap_or(&[]) {
					// The controller rotates the key: the counter starts again and the leaked
					// key signs nothing the chain accepts.
					let id = ids[p as usize];
					let r = record(id);
					let new_key = rotated[&p].public();
					let message = RotationPayload {
						genesis,
						provider: id,
						nonce: r.key_nonce,
						new_alg: new_key.alg.id(),
						new_public_key: new_key.bytes.to_vec(),
					}
					.encode();
					let rotate = RuntimeCall::AicfRegistry(RegistryCall::rotate_key {
						provider: id,
						new_key,
						signature_by_old: keys[p as usize].sign(&message),
						signature_by_new: rotated[&p].sign(&message),
					});
					apply(signed_by(controller(p), rotate)).unwrap().unwrap();
					assert_eq!(record(id).heartbeat.counter, 0, "rotation resets the counter");
					// Evidence binds the key: the rotation dropped the attestation, and the
					// controller attests again under the new key at once.
					assert!(record(id).attestations.ai.is_none(), "rotation drops the attestation");
					assert_eq!(status(id), ProviderStatus::Registered);
					let e = evidence(id, rotated[&p].public().key_hash(), n);
					apply(signed_by(controller(p), submit_evidence(id, e, n))).unwrap().unwrap();
					assert_eq!(status(id), ProviderStatus::Active, "re-attested after rotation");
				}
				for &(p, what) in silent_checks.get(&n).map(Vec::as_slice).unwrap_or(&[]) {
					let id = ids[p as usize];
					let r = record(id);
					let effective = AicfRegistry::effective_status(&id, &r, now);
					let report = RuntimeCall::AicfRegistry(RegistryCall::report_unresponsive {
						provider: id,
					});
					match what {
						"still-eligible" => assert_eq!(effective, ProviderStatus::Active, "{p}"),
						"ineligible" => {
							assert_eq!(effective, ProviderStatus::Registered, "{p}");
							if kind(p) == Kind::SeedStolen {
								// The thief has nothing left: the chain is used up.
								let more =
									bare(RuntimeCall::AicfRegistry(RegistryCall::prove_liveness {
										proofs: vec![LivenessProof {
											provider: id,
											preimage: [0x51; 32],
										}]
										.try_into()
										.unwrap(),
									}));
								assert_eq!(
									pool_validity(more.clone()),
									Err(TransactionValidityError::Invalid(
										InvalidTransaction::Custom(15)
									))
								);
								assert!(apply(more).is_err());
								t.stolen_exhausted_refused += 1;
							}
							assert_eq!(r.status, ProviderStatus::Active, "silence is not stored");
						},
						"not-yet" => {
							assert!(apply(signed_by(&reporter, report)).unwrap().is_err(), "{p}")
						},
						_ => {
							let route = match kind(p) {
								Kind::Silent(route) => route,
								_ => Route::Report,
							};
							match route {
								Route::Report => {
									apply(signed_by(&reporter, report)).unwrap().unwrap();
								},
								Route::Touch => {
									let top_up = RuntimeCall::AicfRegistry(RegistryCall::stake {
										provider: id,
										amount: 1,
									});
									apply(signed_by(controller(p), top_up)).unwrap().unwrap();
								},
								Route::Idle => {
									assert_eq!(status(id), ProviderStatus::Active, "{p}");
									awaiting_sweep.insert(p, n);
									continue;
								},
							}
							assert_eq!(status(id), ProviderStatus::Jailed, "{p} by {route:?}");
							let name = match (kind(p), route) {
								(Kind::SeedStolen, _) => "stolen-seed",
								(_, Route::Report) => "report",
								_ => "touch",
							};
							let e = t.jailed_by.entry(name).or_default();
							*e = (e.0 + 1, e.1.max(n - last_heartbeat[&p]));
						},
					}
				}
				finish_block();
				// The sweep (`on_idle`) jails the rest.
				awaiting_sweep.retain(|&p, _| {
					if status(ids[p as usize]) != ProviderStatus::Jailed {
						return true;
					}
					let e = t.jailed_by.entry("on_idle").or_default();
					*e = (e.0 + 1, e.1.max(n - last_heartbeat[&p]));
					false
				});
				for e in System::events() {
					match e.event {
						RuntimeEvent::TransactionPayment(
							pallet_transaction_payment::Event::TransactionFeePaid {
								actual_fee,
								..
							},
						) => t.fees += actual_fee,
						RuntimeEvent::AicfRegistry(pallet_aicf_registry::Event::Slashed {
							amount,
							..
						}) => t.slashed += amount,
						_ => {},
					}
				}
				if n >= next_hour {
					next_hour += HOURS;
					AicfRegistry::do_try_state().unwrap();
					t.hours_checked += 1;
					if t.hours_checked.is_multiple_of(24) {
						let (day, secs) = (t.hours_checked / 24, started.elapsed().as_secs_f64());
						eprintln!("simulated day {day}: {secs:.0} s");
					}
					for p in (0..PROVIDERS).filter(|p| kind(*p) == Kind::Punctual) {
						let r = record(ids[p as usize]);
						if AicfRegistry::effective_status(&ids[p as usize], &r, now)
							!= ProviderStatus::Active
						{
							t.punctual_ineligible += 1;
						}
					}
				}
			});
			// The state root of each block covers that block's changes only (committing less
			// often makes every root cover all changes since: slower, measured).
			ext.commit_all().unwrap();
		}
	});

	let (issuance_after, treasury_after, jailed_punctual) = ext.execute_with(|| {
		let jailed = (0..PROVIDERS)
			.filter(|p| kind(*p) == Kind::Punctual)
			.filter(|p| record(ids[*p as usize]).status == ProviderStatus::Jailed)
			.count();
		(Balances::total_issuance(), Balances::balance(&AicfTreasuryAccount::get()), jailed)
	});
	let jailed = |route: &str| t.jailed_by.get(route).copied().unwrap_or_default();
	let (touch, report, idle) = (jailed("touch"), jailed("report"), jailed("on_idle"));
	let stolen = jailed("stolen-seed");
	let thief_most = t.thief_proofs.values().copied().max().unwrap_or(0);
	println!(
		"simulation: {PROVIDERS} providers, {SIM_DAYS} days, {} blocks ({blocks_run} executed), \
		 {} signed heartbeats, {} liveness proofs in {} batches, punctual jailed {jailed_punctual}, punctual ineligible {}, punctual \
		 lowest health {}, flaky lowest {} ({} late heartbeats), degraded health {}–{}, poor \
		 eligible {}, silent jailed by touch {}/10 (+{} blocks), report_unresponsive {}/10 (+{}), \
		 on_idle {}/10 (≤ +{}), stolen seeds {}/10 jailed (thief's proofs ≤ {}, +{} blocks, \
		 exhausted chain refused {}), unstaked heartbeats included {} ({} refused), counter attacks \
		 refused {} ({} bounded jumps accepted), try_state {} hours, issuance {} − fees {} (slashed {} to the treasury), {:.0} s",
		end(),
		t.heartbeats,
		t.proofs,
		t.proof_batches,
		t.punctual_ineligible,
		fraction(t.punctual_lowest.unwrap()),
		fraction(t.flaky_lowest.unwrap()),
		t.flaky_late,
		fraction(t.degraded_range.unwrap().0),
		fraction(t.degraded_range.unwrap().1),
		t.poor_eligible,
		touch.0,
		touch.1,
		report.0,
		report.1,
		idle.0,
		idle.1,
		stolen.0,
		thief_most,
		stolen.1,
		t.stolen_exhausted_refused,
		t.unstaked_included,
		t.unstaked_refused,
		t.attack_refused,
		t.attack_jumps,
		t.hours_checked,
		if issuance_before - t.fees == issuance_after { "conserved" } else { "NOT conserved" },
		t.fees,
		t.slashed,
		started.elapsed().as_secs_f64(),
	);

	assert_eq!(jailed_punctual, 0);
	assert_eq!(t.punctual_ineligible, 0);
	assert!(t.punctual_lowest.unwrap() >= Permill::from_percent(95));
	assert!(t.flaky_late > 0 && t.flaky_lowest.unwrap() >= Permill::from_percent(70));
	let (lo, hi) = t.degraded_range.unwrap();
	assert!(lo >= Permill::from_percent(84) && hi <= Permill::from_percent(86), "{lo:?}–{hi:?}");
	assert_eq!(t.poor_eligible, 0, "a provider reporting 40 % availability is never eligible");
	// The documented bound: ineligible one interval plus the grace after the last heartbeat,
	// jailed after three (plus the step the simulation acts on, plus one sweep round for
	// `on_idle`: 1 000 records at `MaxSweepPerBlock` = 100 per block).
	let bound = 3 * i + g + 1 + STEP;
	assert_eq!((touch.0, report.0, idle.0), (10, 10, 10));
	// A stolen seed keeps a dead provider alive for at most the rest of one chain; then it is
	// jailed on the same schedule as any silent provider, counted from the thief's last proof.
	assert_eq!(stolen.0, 10);
	assert!(stolen.1 <= bound, "{stolen:?}");
	// Every proof the thief had left went in, and no more than one chain's.
	for (p, &planned) in &stolen_spans {
		let included = t.thief_proofs.get(p).copied().unwrap_or(0);
		assert_eq!(included, planned, "stolen {p}");
		assert!(included <= CHAIN, "stolen {p}: {included}");
	}
	assert!(thief_most > 0, "some thief had proofs left to send");
	assert_eq!(t.stolen_exhausted_refused, 10);
	assert!(t.proofs > t.heartbeats, "proofs carry most of the liveness");
	assert!(touch.1 <= bound && report.1 <= bound, "{touch:?} {report:?}");
	assert!(idle.1 <= bound + 10 * STEP, "{idle:?}");
	assert_eq!(t.unstaked_included, 0);
	assert!(t.unstaked_refused > 0);
	assert_eq!(t.hours_checked, end() / HOURS);
	// Every compromised provider: the brick refused, and the leaked key after the rotation.
	assert_eq!(t.attack_refused, 2 * rotated.len() as u32);
	assert!(t.attack_jumps > 0);
	assert_eq!(issuance_after, issuance_before - t.fees, "only fees are burned");
	assert_eq!(treasury_after - treasury_before, t.slashed, "slashes go to the treasury");
}
