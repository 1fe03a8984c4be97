//! Hash-chain liveness proofs: commitments in signed heartbeats, batches of proofs, health and
//! jailing over proofs, every rejection, and the abuses each rule stops.

// Liveness proofs are bare extrinsics: the `ValidateUnsigned` path is what is tested.
#![allow(deprecated)]

use super::heartbeat::{active, heartbeat, send, sign, staked};
use crate::{
	mock::{ProofsPerHeartbeat, *},
	proofs::LivenessChain,
	Call, Error, Event, HeartbeatRejection, LivenessChains, ProofBlockUsage, Providers,
};
use aicf_primitives::{
	liveness::{HashChain, LivenessCommitment, LivenessProof},
	ProviderId, ProviderStatus,
};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{GetDispatchInfo, Pays},
	pallet_prelude::{InvalidTransaction, TransactionSource, TransactionValidityError},
	BoundedVec,
};
use sp_runtime::{traits::ValidateUnsigned, Permill};

/// The chain of provider `id` committed at heartbeat `counter` (seed from both).
fn chain_of(id: ProviderId, counter: u64) -> HashChain {
	let mut seed = [0u8; 32];
	seed[..12].copy_from_slice(&id.0);
	seed[12..20].copy_from_slice(&counter.to_le_bytes());
	HashChain { seed, length: MAX_LIVENESS_CHAIN }
}

/// Send heartbeat `counter` of `id` committing to [`chain_of`]`(id, counter)`.
fn commit(key: &aicf_primitives::keys::RegistryKeypair, id: ProviderId, counter: u64) -> HashChain {
	let chain = chain_of(id, counter);
	let mut hb = heartbeat(id, counter);
	hb.liveness = Some(chain.commitment());
	assert_ok!(send(key, hb));
	chain
}

/// An ACTIVE provider of `key` (controller `who`) that committed a chain with its second
/// heartbeat, one interval after its first: its id and the chain.
fn proving(
	key: &aicf_primitives::keys::RegistryKeypair,
	who: AccountId,
) -> (ProviderId, HashChain) {
	let id = active(key, who);
	run_to(1 + HEARTBEAT_INTERVAL);
	(id, commit(key, id, 2))
}

fn batch(items: &[(ProviderId, [u8; 32])]) -> BoundedVec<LivenessProof, ConstU32Batch> {
	items
		.iter()
		.map(|&(provider, preimage)| LivenessProof { provider, preimage })
		.collect::<Vec<_>>()
		.try_into()
		.expect("within the mock's batch bound")
}

type ConstU32Batch = frame_support::traits::ConstU32<MAX_PROOFS_PER_BATCH>;

/// Pool validity of a batch.
fn pool(items: &[(ProviderId, [u8; 32])]) -> Result<(), TransactionValidityError> {
	let call = Call::<Test>::prove_liveness { proofs: batch(items) };
	Registry::validate_unsigned(TransactionSource::External, &call).map(|_| ())
}

/// The block's path: `pre_dispatch`, then the call.
fn include(items: &[(ProviderId, [u8; 32])]) -> sp_runtime::DispatchResult {
	let call = Call::<Test>::prove_liveness { proofs: batch(items) };
	Registry::pre_dispatch(&call).map_err(|_| sp_runtime::DispatchError::Other("pre_dispatch"))?;
	Registry::prove_liveness(RuntimeOrigin::none(), batch(items))
}

fn prove(items: &[(ProviderId, [u8; 32])]) -> sp_runtime::DispatchResult {
	Registry::prove_liveness(RuntimeOrigin::none(), batch(items))
}

fn code(r: HeartbeatRejection) -> Result<(), TransactionValidityError> {
	Err(r.into())
}

fn effective(id: ProviderId) -> ProviderStatus {
	let record = Providers::<Test>::get(id).unwrap();
	Registry::effective_status(&id, &record, System::block_number())
}

/// Ids sorted ascending (batches must be).
fn sorted<const N: usize>(mut ids: [ProviderId; N]) -> [ProviderId; N] {
	ids.sort();
	ids
}

#[test]
fn proofs_keep_a_provider_active_for_the_length_of_its_chain() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let (id, chain) = proving(&key, ALICE);
		let committed_at = System::block_number();
		let health = Providers::<Test>::get(id).unwrap().heartbeat.health;
		assert_eq!(
			LivenessChains::<Test>::get(id),
			Some(LivenessChain {
				anchor: chain.commitment().anchor,
				remaining: MAX_LIVENESS_CHAIN,
				last_seen: committed_at,
				missed: 0,
			})
		);
		// One proof an interval, each at the end of the grace: ACTIVE all along, where a
		// provider without proofs is shown REGISTERED after the first interval.
		let mut at = committed_at;
		for i in 1..=MAX_LIVENESS_CHAIN {
			at += HEARTBEAT_INTERVAL + HEARTBEAT_GRACE;
			run_to(at);
			assert_eq!(effective(id), ProviderStatus::Active, "before proof {i}");
			let x = chain.proof(i).unwrap();
			assert_eq!(pool(&[(id, x)]), Ok(()));
			System::reset_events();
			assert_ok!(include(&[(id, x)]));
			assert_eq!(System::events().len(), 1);
			assert!(matches!(
				System::events()[0].event,
				RuntimeEvent::Registry(Event::LivenessProven { count: 1, skipped: 0 })
			));
			let c = LivenessChains::<Test>::get(id).unwrap();
			assert_eq!(
				(c.anchor, c.remaining, c.last_seen, c.missed),
				(x, MAX_LIVENESS_CHAIN - i, at, 0)
			);
			// The proof touches nothing but the chain: the report's health is unchanged.
			assert_eq!(Providers::<Test>::get(id).unwrap().heartbeat.health, health);
			assert_eq!(
				Registry::effective_health(&id, &Providers::<Test>::get(id).unwrap(), at),
				health
			);
		}
		// The chain is used up: a signed heartbeat is due (and commits the next chain).
		at += HEARTBEAT_INTERVAL;
		run_to(at);
		let next = [9; 32];
		assert_eq!(pool(&[(id, next)]), code(HeartbeatRejection::ChainExhausted));
		assert_noop!(prove(&[(id, next)]), Error::<Test>::LivenessChainExhausted);
		let chain2 = commit(&key, id, 3);
		assert_eq!(LivenessChains::<Test>::get(id).unwrap().anchor, chain2.commitment().anchor);
		assert_eq!(effective(id), ProviderStatus::Active);
	});
}

#[test]
fn without_proofs_the_same_provider_lapses_after_one_interval() {
	// The control for the test above: the mechanism, not the schedule, keeps it ACTIVE.
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let (id, _) = proving(&key, ALICE);
		let at = System::block_number();
		run_to(at + HEARTBEAT_INTERVAL + HEARTBEAT_GRACE + 1);
		assert_eq!(effective(id), ProviderStatus::Registered);
	});
}

#[test]
fn every_proof_rejection_has_its_code_and_changes_nothing() {
	ExtBuilder::build_and_execute(|| {
		let (ka, kb, kc) = (ml_key(1), ml_key(2), ml_key(3));
		let a = active(&ka, ALICE);
		let b = active(&kb, ALICE);
		let c = active(&kc, BOB);
		run_to(1 + HEARTBEAT_INTERVAL);
		let (ca, cb) = (commit(&ka, a, 2), commit(&kb, b, 2));
		// `c` heartbeats without a commitment: it has no chain.
		assert_ok!(send(&kc, heartbeat(c, 2)));
		let [lo, hi] = sorted([a, b]);
		let proof_of = |id: ProviderId, i: u32| (if id == a { ca } else { cb }).proof(i).unwrap();

		// Empty.
		assert_eq!(pool(&[]), code(HeartbeatRejection::NoProofs));
		assert_noop!(prove(&[]), Error::<Test>::NoLivenessProofs);
		// Too early: less than MinHeartbeatInterval after the commitment.
		run_to(System::block_number() + 1);
		assert_eq!(pool(&[(a, proof_of(a, 1))]), code(HeartbeatRejection::TooEarly));
		assert_noop!(prove(&[(a, proof_of(a, 1))]), Error::<Test>::HeartbeatTooEarly);
		run_to(System::block_number() + HEARTBEAT_INTERVAL - 1);
		// Not in ascending order; a provider twice.
		let unsorted = [(hi, proof_of(hi, 1)), (lo, proof_of(lo, 1))];
		assert_eq!(pool(&unsorted), code(HeartbeatRejection::ProofsNotSorted));
		assert_noop!(prove(&unsorted), Error::<Test>::LivenessProofsNotSorted);
		let twice = [(a, proof_of(a, 1)), (a, proof_of(a, 2))];
		assert_eq!(pool(&twice), code(HeartbeatRejection::ProofsNotSorted));
		assert_noop!(prove(&twice), Error::<Test>::LivenessProofsNotSorted);
		// No chain: an unknown provider, a provider whose heartbeat committed none.
		let unknown = ml_key(9).public().provider_id();
		assert_eq!(pool(&[(unknown, [1; 32])]), code(HeartbeatRejection::NoLivenessChain));
		assert_noop!(prove(&[(unknown, [1; 32])]), Error::<Test>::NoLivenessChain);
		assert_eq!(pool(&[(c, [1; 32])]), code(HeartbeatRejection::NoLivenessChain));
		assert_noop!(prove(&[(c, [1; 32])]), Error::<Test>::NoLivenessChain);
		// Forged: a preimage that does not hash to the anchor.
		assert_eq!(pool(&[(a, [7; 32])]), code(HeartbeatRejection::ProofMismatch));
		assert_noop!(prove(&[(a, [7; 32])]), Error::<Test>::LivenessProofMismatch);
		// A proof from further down the chain is not the next one either.
		assert_noop!(prove(&[(a, proof_of(a, 2))]), Error::<Test>::LivenessProofMismatch);
		// Replayed: the anchor itself.
		let anchor = LivenessChains::<Test>::get(a).unwrap().anchor;
		assert_eq!(pool(&[(a, anchor)]), code(HeartbeatRejection::ProofReplayed));
		assert_noop!(prove(&[(a, anchor)]), Error::<Test>::LivenessProofReplayed);
		// The pool admits only batches valid in full.
		let mixed = [(lo, proof_of(lo, 1)), (hi, [7; 32])];
		assert_eq!(pool(&mixed), code(HeartbeatRejection::ProofMismatch));
		// In a block, an item that became invalid since the pool admitted its batch (here: its
		// proof already included by another batch) is skipped and the rest applies: one poisoned
		// item cannot take the others' proofs out of the block.
		let both = [(lo, proof_of(lo, 1)), (hi, proof_of(hi, 1))];
		assert_ok!(pool(&both));
		assert_ok!(include(&[(hi, proof_of(hi, 1))]));
		System::reset_events();
		assert_ok!(include(&both));
		assert!(System::events().iter().any(|e| matches!(
			e.event,
			RuntimeEvent::Registry(Event::LivenessProven { count: 1, skipped: 1 })
		)));
		assert_eq!(LivenessChains::<Test>::get(lo).unwrap().anchor, proof_of(lo, 1));
		run_to(System::block_number() + MinHeartbeatInterval::get());
		assert_eq!(pool(&both), code(HeartbeatRejection::ProofReplayed));
		assert_noop!(prove(&both), Error::<Test>::LivenessProofReplayed);
	});
}

#[test]
fn a_heartbeat_commitment_must_fit_max_liveness_chain() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = staked(&key, ALICE);
		for length in [0, MAX_LIVENESS_CHAIN + 1, u32::MAX] {
			let mut hb = heartbeat(id, 1);
			hb.liveness = Some(LivenessCommitment { anchor: [1; 32], length });
			let sig = sign(&key, &hb);
			assert_eq!(
				Registry::validate_heartbeat(&hb, &sig).map(|_| ()),
				Err(HeartbeatRejection::InvalidCommitment)
			);
			assert_noop!(send(&key, hb), Error::<Test>::InvalidLivenessCommitment);
		}
		// The commitment is signed: changing it after signing breaks the signature.
		let mut hb = heartbeat(id, 1);
		hb.liveness = Some(LivenessCommitment { anchor: [1; 32], length: 2 });
		let sig = sign(&key, &hb);
		hb.liveness = Some(LivenessCommitment { anchor: [2; 32], length: 2 });
		assert_noop!(
			Registry::heartbeat(RuntimeOrigin::none(), hb, sig),
			Error::<Test>::BadSignature
		);
	});
}

#[test]
fn proofs_have_a_per_block_budget_and_the_next_block_takes_the_rest() {
	ExtBuilder::build_and_execute(|| {
		// MAX_PROOFS_PER_BLOCK = 5, batches of at most 4.
		let keys: Vec<_> = (1..=6).map(ml_key).collect();
		let mut ids: Vec<ProviderId> = keys
			.iter()
			.enumerate()
			.map(|(i, k)| active(k, if i < 3 { ALICE } else { BOB }))
			.collect();
		run_to(1 + HEARTBEAT_INTERVAL);
		let chains: Vec<(ProviderId, HashChain)> =
			keys.iter().zip(&ids).map(|(k, id)| (*id, commit(k, *id, 2))).collect();
		ids.sort();
		let item = |id: ProviderId| {
			(id, chains.iter().find(|(c, _)| *c == id).unwrap().1.proof(1).unwrap())
		};
		let first: Vec<_> = ids[0..4].iter().map(|id| item(*id)).collect();
		let second: Vec<_> = ids[4..6].iter().map(|id| item(*id)).collect();
		run_to(System::block_number() + HEARTBEAT_INTERVAL);
		assert_ok!(include(&first));
		assert_eq!(Registry::proofs_in_block(), 4);
		// 4 + 2 > 5: the pool says "exhausts resources" (it waits for the next block).
		assert_eq!(pool(&second), Err(InvalidTransaction::ExhaustsResources.into()));
		// (The call itself is reached only through `pre_dispatch`, which took the slots.)
		let call = Call::<Test>::prove_liveness { proofs: batch(&second) };
		assert_noop!(
			Registry::pre_dispatch(&call),
			TransactionValidityError::from(InvalidTransaction::ExhaustsResources)
		);
		assert_eq!(ProofBlockUsage::<Test>::get(), (System::block_number(), 4));
		run_to(System::block_number() + 1);
		assert_eq!(Registry::proofs_in_block(), 0);
		assert_ok!(include(&second));
		assert_eq!(Registry::proofs_in_block(), 2);
	});
}

#[test]
fn a_batch_is_free_weighed_per_proof_and_tagged_per_provider_and_anchor() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let (id, chain) = proving(&key, ALICE);
		run_to(System::block_number() + HEARTBEAT_INTERVAL);
		let call = Call::<Test>::prove_liveness { proofs: batch(&[(id, chain.proof(1).unwrap())]) };
		let info = call.get_dispatch_info();
		assert_eq!(info.pays_fee, Pays::No);
		assert_eq!(info.call_weight, Registry::prove_liveness_weight(1));
		assert!(Registry::prove_liveness_weight(4).ref_time() > info.call_weight.ref_time());
		let valid = Registry::validate_unsigned(TransactionSource::External, &call).unwrap();
		// The same proof relayed by two parties conflicts in the pool (same tag); the next
		// interval's proof carries a new one.
		assert_eq!(valid.provides.len(), 1);
		let anchor = LivenessChains::<Test>::get(id).unwrap().anchor;
		assert!(
			valid.provides[0].ends_with(&(b"aicf/liveness-proof".as_slice(), id, anchor).encode())
		);
	});
}

#[test]
fn deadlines_missed_between_proofs_decay_health_as_if_no_proof_came_after_them() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let (id, chain) = proving(&key, ALICE);
		let at = System::block_number();
		// Two deadlines missed, then a proof.
		let late = missing_from(at, 2);
		run_to(late);
		let record = Providers::<Test>::get(id).unwrap();
		let before = Registry::effective_health(&id, &record, late);
		assert!(before < record.heartbeat.health, "decayed by the two misses");
		assert_ok!(include(&[(id, chain.proof(1).unwrap())]));
		assert_eq!(LivenessChains::<Test>::get(id).unwrap().missed, 2);
		// The proof ends the silence but forgives nothing.
		assert_eq!(Registry::effective_health(&id, &record, late), before);
		assert_eq!(Registry::missed(&id, &record, late), 0);
		// The next signed heartbeat mixes its report into the decayed score.
		run_to(late + HEARTBEAT_INTERVAL);
		let hb = heartbeat(id, 3);
		let q = Permill::from_rational(u32::from(hb.report.availability_bps), 10_000);
		assert_ok!(send(&key, hb));
		let want = crate::health::after_heartbeat(Some(before), q, HealthSmoothing::get());
		assert_eq!(Providers::<Test>::get(id).unwrap().heartbeat.health, want);
		// That heartbeat carried no commitment: the chain ended.
		assert!(!LivenessChains::<Test>::contains_key(id));
		run_to(late + 2 * HEARTBEAT_INTERVAL);
		assert_noop!(prove(&[(id, chain.proof(2).unwrap())]), Error::<Test>::NoLivenessChain);
	});
}

#[test]
fn a_proof_after_too_long_a_silence_is_refused_and_the_signed_heartbeat_jails() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let (id, chain) = proving(&key, ALICE);
		let at = System::block_number();
		// More than MaxMissedHeartbeats (3) deadlines: a proof cannot excuse that.
		run_to(missing_from(at, 4));
		let x = chain.proof(1).unwrap();
		assert_eq!(pool(&[(id, x)]), code(HeartbeatRejection::ChainLapsed));
		assert_noop!(prove(&[(id, x)]), Error::<Test>::LivenessChainLapsed);
		assert_ok!(send(&key, heartbeat(id, 3)));
		let r = Providers::<Test>::get(id).unwrap();
		assert_eq!(r.status, ProviderStatus::Jailed);
	});
}

#[test]
fn a_stolen_seed_keeps_a_dead_provider_alive_at_most_one_chain_then_it_is_jailed() {
	// The provider dies right after committing; an attacker who stole the chain's seed proves
	// it alive. Without the registry key it cannot commit another chain: once the chain is
	// used up the provider goes silent and is jailed on schedule.
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let (id, stolen) = proving(&key, ALICE);
		let mut at = System::block_number();
		for i in 1..=MAX_LIVENESS_CHAIN {
			at += HEARTBEAT_INTERVAL;
			run_to(at);
			assert_ok!(include(&[(id, stolen.proof(i).unwrap())]));
		}
		// Any further preimage from the same seed is refused; the seed has nothing left.
		run_to(at + HEARTBEAT_INTERVAL);
		assert_noop!(prove(&[(id, stolen.seed)]), Error::<Test>::LivenessChainExhausted);
		let last = at;
		run_to(missing_from(last, 1));
		assert_eq!(effective(id), ProviderStatus::Registered, "ineligible after one miss");
		run_to(missing_from(last, 4));
		assert_ok!(Registry::report_unresponsive(RuntimeOrigin::signed(BOB), id));
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Jailed);
	});
}

#[test]
fn a_key_rotation_ends_the_chain_without_forgetting_its_proofs() {
	ExtBuilder::build_and_execute(|| {
		let (old, new) = (ml_key(1), ml_key(2));
		let (id, chain) = proving(&old, ALICE);
		let at = missing_from(System::block_number(), 1);
		run_to(at);
		assert_ok!(include(&[(id, chain.proof(1).unwrap())]));
		let health = {
			let r = Providers::<Test>::get(id).unwrap();
			Registry::effective_health(&id, &r, at)
		};
		let msg = rotation_message(id, &new.public());
		let (s_old, s_new) = (old.sign(&msg).unwrap(), new.sign(&msg).unwrap());
		assert_ok!(Registry::rotate_key(
			RuntimeOrigin::signed(ALICE),
			id,
			new.public(),
			s_old,
			s_new
		));
		// The seed (perhaps leaked with the old key) proves nothing any more.
		assert!(!LivenessChains::<Test>::contains_key(id));
		run_to(at + HEARTBEAT_INTERVAL);
		assert_noop!(prove(&[(id, chain.proof(2).unwrap())]), Error::<Test>::NoLivenessChain);
		// What the proofs showed stays: last seen at the proof, the banked miss in the score.
		let r = Providers::<Test>::get(id).unwrap();
		assert_eq!(r.last_heartbeat, Some(at));
		assert_eq!(Registry::effective_health(&id, &r, at), health);
	});
}

#[test]
fn deregistration_ends_the_chain() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = staked(&key, ALICE);
		let chain = commit(&key, id, 1);
		run_to(STAKE_LOCK + 2);
		assert_ok!(Registry::unstake(RuntimeOrigin::signed(ALICE), id, MIN_STAKE_AI));
		run_to(System::block_number() + UNBONDING + 1);
		assert_ok!(Registry::withdraw(RuntimeOrigin::signed(ALICE), id));
		assert_ok!(Registry::deregister(RuntimeOrigin::signed(ALICE), id));
		assert!(!LivenessChains::<Test>::contains_key(id));
		assert_noop!(prove(&[(id, chain.proof(1).unwrap())]), Error::<Test>::NoLivenessChain);
	});
}

#[test]
fn signed_heartbeats_and_proofs_share_the_blocks_liveness_budget() {
	ExtBuilder::build_and_execute(|| {
		// A signed heartbeat counts as two proofs; the block holds five.
		ProofsPerHeartbeat::set(2);
		let keys: Vec<_> = (1..=6).map(ml_key).collect();
		let ids: Vec<ProviderId> = keys
			.iter()
			.enumerate()
			.map(|(i, k)| active(k, if i < 3 { ALICE } else { BOB }))
			.collect();
		run_to(1 + HEARTBEAT_INTERVAL);
		let mut items: Vec<(ProviderId, [u8; 32])> = keys[..4]
			.iter()
			.zip(&ids)
			.map(|(k, id)| (*id, commit(k, *id, 2).proof(1).unwrap()))
			.collect();
		items.sort();
		run_to(System::block_number() + HEARTBEAT_INTERVAL);
		let signed = |k: usize| {
			let hb = heartbeat(ids[k], 2);
			let signature = sign(&keys[k], &hb);
			Registry::pre_dispatch(&Call::<Test>::heartbeat { heartbeat: hb, signature })
		};
		assert_ok!(signed(4));
		assert_eq!(Registry::liveness_units_in_block(), 2);
		// 2 + 4 > 5: four proofs wait for the next block; three fit.
		assert_eq!(pool(&items), Err(InvalidTransaction::ExhaustsResources.into()));
		assert_ok!(include(&items[..3]));
		assert_eq!(Registry::liveness_units_in_block(), 5);
		// And a second heartbeat no longer fits either, though its own budget has room.
		assert_eq!(signed(5), Err(InvalidTransaction::ExhaustsResources.into()));
		run_to(System::block_number() + 1);
		assert_eq!(Registry::liveness_units_in_block(), 0);
		assert_ok!(signed(5));
		assert_ok!(include(&items[3..]));
	});
}
