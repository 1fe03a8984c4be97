//! Heartbeats (both transaction forms), health, jailing by its three routes, and `unjail`.

// The bare-extrinsic path is tested on purpose until `ValidateUnsigned` is removed.
#![allow(deprecated)]

use crate::{
	mock::*, Call, Error, Event, Heartbeat, HeartbeatBlockUsage, HeartbeatRejection, Ledgers,
	Providers, StatusReason,
};
use aicf_primitives::{
	keys::RegistryKeypair, payload::HeartbeatReport, traits::AttestationSink, ProviderId,
	ProviderStatus,
};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{GetDispatchInfo, Pays},
	pallet_prelude::{InvalidTransaction, TransactionSource, TransactionValidityError},
	traits::{Authorize, Hooks},
	weights::Weight,
};
use sp_runtime::{traits::ValidateUnsigned, Permill};

fn report(availability_bps: u16) -> HeartbeatReport {
	HeartbeatReport { rtt_ms_p50: 40, availability_bps, leases_active: 2, leases_capacity: 8 }
}

pub(super) fn heartbeat(id: ProviderId, counter: u64) -> Heartbeat {
	let attest_hash = Providers::<Test>::get(id)
		.and_then(|r| r.attestations.iter().next().map(|a| a.evidence_hash))
		.unwrap_or([0; 32]);
	Heartbeat {
		provider: id,
		counter,
		timestamp: Now::get(),
		attest_hash,
		report: report(9_990),
		liveness: None,
	}
}

pub(super) fn sign(
	key: &RegistryKeypair,
	hb: &Heartbeat,
) -> aicf_primitives::crypto::SignatureBytes {
	key.sign(&hb.payload(Registry::genesis_hash()).encode()).unwrap()
}

pub(super) fn send(
	key: &RegistryKeypair,
	hb: Heartbeat,
) -> frame_support::dispatch::DispatchResultWithPostInfo {
	let sig = sign(key, &hb);
	Registry::heartbeat(RuntimeOrigin::none(), hb, sig)
}

pub(super) fn attest(id: ProviderId) {
	assert_ok!(attest_all(id, 100_000, 7));
}

/// A registered provider with its minimum stake bonded: its heartbeats are admitted.
pub(super) fn staked(key: &RegistryKeypair, who: AccountId) -> ProviderId {
	let id = register(key, who);
	assert_ok!(Registry::stake(RuntimeOrigin::signed(who), id, MIN_STAKE_AI));
	id
}

/// A registered, staked, attested provider that has sent one heartbeat: ACTIVE.
pub(super) fn active(key: &RegistryKeypair, who: AccountId) -> ProviderId {
	let id = staked(key, who);
	attest(id);
	assert_ok!(send(key, heartbeat(id, 1)));
	assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Active);
	id
}

#[test]
fn heartbeat_records_report_and_sets_health_from_availability() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = staked(&key, ALICE);
		let post = send(&key, heartbeat(id, 5)).unwrap();
		assert_eq!(post.pays_fee, Pays::No);
		let r = Providers::<Test>::get(id).unwrap();
		assert_eq!(r.last_heartbeat, Some(1));
		assert_eq!(r.heartbeat.counter, 5);
		assert_eq!(r.heartbeat.report, report(9_990));
		assert_eq!(r.heartbeat.health, Permill::from_parts(999_000));
		assert!(registry_events().contains(&Event::HeartbeatReceived {
			provider: id,
			counter: 5,
			health: Permill::from_parts(999_000)
		}));
	});
}

#[test]
fn heartbeat_with_slh_dsa_key_is_accepted() {
	ExtBuilder::build_and_execute(|| {
		let key = slh_key(3);
		let id = staked(&key, ALICE);
		assert_ok!(send(&key, heartbeat(id, 1)));
	});
}

#[test]
fn heartbeat_rejections_have_specific_codes_and_change_nothing() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = staked(&key, ALICE);
		let check = |hb: Heartbeat, key: &RegistryKeypair| {
			let sig = sign(key, &hb);
			Registry::validate_heartbeat(&hb, &sig).map(|_| ())
		};
		let unknown = ml_key(9).public().provider_id();
		assert_eq!(check(heartbeat(unknown, 1), &key), Err(HeartbeatRejection::UnknownProvider));
		assert_noop!(send(&key, heartbeat(unknown, 1)), Error::<Test>::UnknownProvider);

		let mut hb = heartbeat(id, 1);
		hb.timestamp = Now::get() + 121;
		assert_eq!(check(hb.clone(), &key), Err(HeartbeatRejection::TimestampOutOfWindow));
		assert_noop!(send(&key, hb), Error::<Test>::HeartbeatTimestampOutOfWindow);

		let mut hb = heartbeat(id, 1);
		hb.attest_hash = [1; 32];
		assert_eq!(check(hb.clone(), &key), Err(HeartbeatRejection::AttestationMismatch));
		assert_noop!(send(&key, hb), Error::<Test>::AttestationMismatch);

		let mut hb = heartbeat(id, 1);
		hb.report.availability_bps = 10_001;
		assert_eq!(check(hb.clone(), &key), Err(HeartbeatRejection::MalformedReport));
		assert_noop!(send(&key, hb), Error::<Test>::MalformedReport);
		let mut hb = heartbeat(id, 1);
		hb.report.leases_active = 9;
		assert_noop!(send(&key, hb), Error::<Test>::MalformedReport);

		assert_eq!(check(heartbeat(id, 1), &ml_key(2)), Err(HeartbeatRejection::BadSignature));
		let hb = heartbeat(id, 1);
		let sig = sign(&ml_key(2), &hb);
		assert_noop!(
			Registry::heartbeat(RuntimeOrigin::none(), hb, sig),
			Error::<Test>::BadSignature
		);

		// Accepted once; then too early, then (after the minimum interval) a replay is stale.
		let first = heartbeat(id, 1);
		let first_sig = sign(&key, &first);
		assert_ok!(Registry::heartbeat(RuntimeOrigin::none(), first.clone(), first_sig.clone()));
		assert_eq!(check(heartbeat(id, 2), &key), Err(HeartbeatRejection::TooEarly));
		assert_noop!(send(&key, heartbeat(id, 2)), Error::<Test>::HeartbeatTooEarly);
		run_to(3);
		assert_eq!(
			Registry::validate_heartbeat(&first, &first_sig).map(|_| ()),
			Err(HeartbeatRejection::StaleCounter)
		);
		assert_noop!(
			Registry::heartbeat(RuntimeOrigin::none(), first, first_sig),
			Error::<Test>::StaleHeartbeat
		);

		// Deregistered providers cannot heartbeat.
		let other = ml_key(4);
		let id2 = register(&other, BOB);
		assert_ok!(Registry::deregister(RuntimeOrigin::signed(BOB), id2));
		assert_eq!(check(heartbeat(id2, 1), &other), Err(HeartbeatRejection::Deregistered));
		assert_noop!(send(&other, heartbeat(id2, 1)), Error::<Test>::ProviderDeregistered);

		// A counter that jumps further than `MaxHeartbeatCounterStep` is refused; the largest
		// step is accepted.
		run_to(5);
		let jump = heartbeat(id, 1 + MAX_COUNTER_STEP + 1);
		assert_eq!(check(jump.clone(), &key), Err(HeartbeatRejection::CounterJump));
		assert_noop!(send(&key, jump), Error::<Test>::HeartbeatCounterJump);
		let mut far = heartbeat(id, u64::MAX);
		far.report.availability_bps = 1;
		assert_noop!(send(&key, far), Error::<Test>::HeartbeatCounterJump);
		assert_ok!(send(&key, heartbeat(id, 1 + MAX_COUNTER_STEP)));
	});
}

#[test]
fn unstaked_providers_cannot_heartbeat_and_cost_no_signature_check() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = register(&key, ALICE);
		// Refused before the signature: a garbage signature gets the same answer.
		let hb = heartbeat(id, 1);
		let garbage = sign(&ml_key(2), &hb);
		assert_eq!(
			Registry::validate_heartbeat(&hb, &garbage).map(|_| ()),
			Err(HeartbeatRejection::NotStaked)
		);
		assert_eq!(
			Registry::validate_heartbeat(&hb, &sign(&key, &hb)).map(|_| ()),
			Err(HeartbeatRejection::NotStaked)
		);
		let call = Call::<Test>::heartbeat { heartbeat: hb.clone(), signature: garbage };
		assert_eq!(
			call.authorize(TransactionSource::External).unwrap(),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(9)))
		);
		assert_noop!(send(&key, hb.clone()), Error::<Test>::HeartbeatWithoutStake);
		// Stake below the minimum buys nothing either.
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, MIN_STAKE_AI - 1));
		assert_noop!(send(&key, hb.clone()), Error::<Test>::HeartbeatWithoutStake);
		// At the minimum the heartbeat is admitted.
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, 1));
		assert_ok!(send(&key, hb));
	});
}

#[test]
fn a_block_takes_at_most_its_heartbeat_budget_and_the_next_block_the_rest() {
	ExtBuilder::build_and_execute(|| {
		let (first, second) = (ml_key(1), ml_key(2));
		let (a, b) = (staked(&first, ALICE), staked(&second, BOB));
		// All but one slot of this block's budget is used.
		HeartbeatBlockUsage::<Test>::put((1, MAX_HEARTBEATS_PER_BLOCK - 1));
		// A bare heartbeat in a block: `pre_dispatch` takes the slot, then the call.
		let hb = heartbeat(a, 1);
		let call = Call::<Test>::heartbeat { heartbeat: hb.clone(), signature: sign(&first, &hb) };
		assert_eq!(Registry::pre_dispatch(&call), Ok(()));
		assert_eq!(Registry::heartbeats_in_block(), MAX_HEARTBEATS_PER_BLOCK);
		assert_ok!(Registry::heartbeat(RuntimeOrigin::none(), hb.clone(), sign(&first, &hb)));
		assert_eq!(Registry::heartbeats_in_block(), MAX_HEARTBEATS_PER_BLOCK);
		let hb = heartbeat(b, 1);
		let sig = sign(&second, &hb);
		assert_eq!(
			Registry::validate_heartbeat(&hb, &sig).map(|_| ()),
			Err(HeartbeatRejection::BlockFull)
		);
		// The block builder sees `ExhaustsResources` and keeps it in the pool, in both forms.
		let call = Call::<Test>::heartbeat { heartbeat: hb.clone(), signature: sig.clone() };
		let exhausted = TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources);
		assert_eq!(call.authorize(TransactionSource::InBlock).unwrap(), Err(exhausted));
		assert_eq!(Registry::pre_dispatch(&call), Err(exhausted));
		assert_noop!(
			Registry::heartbeat(frame_system::RawOrigin::Authorized.into(), hb.clone(), sig),
			Error::<Test>::HeartbeatBlockFull
		);
		// The next block has its own budget.
		run_to(2);
		assert_eq!(Registry::heartbeats_in_block(), 0);
		assert_ok!(send(&second, hb));
		assert_eq!(Registry::heartbeats_in_block(), 0, "a direct bare call takes no slot");
		let hb = heartbeat(b, 2);
		let call = Call::<Test>::heartbeat { heartbeat: hb.clone(), signature: sign(&second, &hb) };
		assert_eq!(
			Registry::pre_dispatch(&call),
			Err(TransactionValidityError::Invalid(HeartbeatRejection::TooEarly.into()))
		);
		assert_eq!(Registry::heartbeats_in_block(), 0, "a refused one takes none either");
	});
}

/// An SLH-DSA heartbeat is more than twice an ML-DSA one's length: it takes three slots of the
/// heartbeat budget (and three heartbeats' share of the liveness budget), so the budget bounds
/// the block length free heartbeats take whatever key signs them.
#[test]
fn an_slh_dsa_heartbeat_takes_the_budget_its_length_does() {
	ExtBuilder::build_and_execute(|| {
		use crate::heartbeat::{heartbeat_slots, SLH_DSA_HEARTBEAT_SLOTS};
		use aicf_primitives::KeyAlgorithm;
		assert_eq!(SLH_DSA_HEARTBEAT_SLOTS, 3);
		assert_eq!(heartbeat_slots(KeyAlgorithm::SlhDsaSha2_128s), 3);
		assert_eq!(heartbeat_slots(KeyAlgorithm::MlDsa65), 1);
		let (slh, ml) = (slh_key(3), ml_key(1));
		let (s, m) = (staked(&slh, ALICE), staked(&ml, BOB));
		let exhausted = TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources);
		let call = |key: &RegistryKeypair, id: ProviderId| {
			let hb = heartbeat(id, 1);
			Call::<Test>::heartbeat { heartbeat: hb.clone(), signature: sign(key, &hb) }
		};
		// Two slots left (heartbeats outside the liveness budget for now): the SLH-DSA
		// heartbeat does not fit, in either form, and changes nothing; an ML-DSA one does.
		HeartbeatBlockUsage::<Test>::put((1, MAX_HEARTBEATS_PER_BLOCK - 2));
		assert_eq!(Registry::pre_dispatch(&call(&slh, s)), Err(exhausted));
		assert_eq!(call(&slh, s).authorize(TransactionSource::InBlock).unwrap(), Err(exhausted));
		assert_eq!(Registry::heartbeats_in_block(), MAX_HEARTBEATS_PER_BLOCK - 2);
		assert_eq!(Providers::<Test>::get(s).unwrap().last_heartbeat, None);
		assert_eq!(Registry::pre_dispatch(&call(&ml, m)), Ok(()));
		assert_eq!(Registry::heartbeats_in_block(), MAX_HEARTBEATS_PER_BLOCK - 1);
		// The next block, a heartbeat counting as one proof: it takes three slots and three
		// heartbeats' liveness units.
		run_to(2);
		ProofsPerHeartbeat::set(1);
		let slh_call = call(&slh, s);
		assert_eq!(Registry::pre_dispatch(&slh_call), Ok(()));
		assert_eq!(Registry::heartbeats_in_block(), 3);
		assert_eq!(Registry::liveness_units_in_block(), 3);
		let Call::heartbeat { heartbeat: hb, signature } = slh_call else { unreachable!() };
		assert_ok!(Registry::heartbeat(RuntimeOrigin::none(), hb, signature));
		assert_eq!(Registry::heartbeats_in_block(), 3, "the call takes no second share");
		// The liveness budget (5 units) left room for two more: an SLH-DSA heartbeat needs three.
		let other = slh_key(4);
		let o = staked(&other, BOB);
		assert_eq!(Registry::pre_dispatch(&call(&other, o)), Err(exhausted));
		assert_eq!(Registry::heartbeats_in_block(), 3);
		// An ML-DSA heartbeat (one unit) still fits.
		assert_eq!(Registry::pre_dispatch(&call(&ml, m)), Ok(()));
		assert_eq!(Registry::liveness_units_in_block(), 4);
		// A bare heartbeat of an ML-DSA provider carrying an SLH-DSA-length signature (it will
		// fail in the call, but is included): it takes the slots its length does.
		run_to(3);
		let hb = heartbeat(m, 1);
		let long = Call::<Test>::heartbeat { heartbeat: hb.clone(), signature: sign(&slh, &hb) };
		assert_eq!(Registry::pre_dispatch(&long), Ok(()));
		assert_eq!(Registry::heartbeats_in_block(), 3);
	});
}

#[test]
fn a_provider_slashed_below_its_minimum_tops_up_before_it_heartbeats_again() {
	ExtBuilder::build_and_execute(|| {
		use aicf_primitives::traits::{Offence, ProviderPenalties};
		let key = ml_key(1);
		let id = active(&key, ALICE);
		// A severe SLA breach slashes part of the bond (below the minimum) and jails it.
		assert_ok!(<Registry as ProviderPenalties>::report_offence(
			&id,
			Offence::SlaBreach { severity: 3 }
		));
		let bonded = Ledgers::<Test>::get(id).unwrap().bonded;
		assert!(bonded > 0 && bonded < MIN_STAKE_AI, "{bonded}");
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Jailed);
		run_to(3);
		// Some stake left is not enough: a jailed provider would otherwise heartbeat for free
		// forever on one planck.
		assert_noop!(send(&key, heartbeat(id, 2)), Error::<Test>::HeartbeatWithoutStake);
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, MIN_STAKE_AI - bonded));
		assert_ok!(send(&key, heartbeat(id, 2)));
	});
}

#[test]
fn due_heartbeats_outrank_early_ones_in_the_pool() {
	ExtBuilder::build_and_execute(|| {
		let (early_key, due_key) = (ml_key(1), ml_key(2));
		let (early, due) = (staked(&early_key, ALICE), staked(&due_key, BOB));
		assert_ok!(send(&due_key, heartbeat(due, 1)));
		run_to(1 + HEARTBEAT_INTERVAL - 5);
		assert_ok!(send(&early_key, heartbeat(early, 1)));
		// The one that heartbeated a minimum interval ago ranks below the one due now.
		run_to(1 + HEARTBEAT_INTERVAL - 5 + 2);
		let priority = |key: &RegistryKeypair, id, counter| {
			let hb = heartbeat(id, counter);
			Registry::validate_heartbeat(&hb, &sign(key, &hb)).unwrap().priority
		};
		let (p_early, p_due) = (priority(&early_key, early, 2), priority(&due_key, due, 2));
		assert_eq!(p_early, 100 + 2);
		assert_eq!(p_due, 100 + (HEARTBEAT_INTERVAL - 3), "blocks since its heartbeat at block 1");
		assert!(p_due > p_early);
	});
}

#[test]
fn a_key_rotation_resets_the_heartbeat_counter() {
	ExtBuilder::build_and_execute(|| {
		let (old, new) = (ml_key(1), ml_key(2));
		let id = staked(&old, ALICE);
		// A leaked key pushes the counter as far as one step allows, and poisons the QoS
		// window with its report.
		let mut poisoned = heartbeat(id, MAX_COUNTER_STEP);
		poisoned.report.rtt_ms_p50 = u32::MAX;
		assert_ok!(send(&old, poisoned));
		assert!(crate::QosWindows::<Test>::contains_key(id));
		let msg = rotation_message(id, &new.public());
		let (s_old, s_new) = (old.sign(&msg).unwrap(), new.sign(&msg).unwrap());
		assert_ok!(Registry::rotate_key(
			RuntimeOrigin::signed(ALICE),
			id,
			new.public(),
			s_old,
			s_new
		));
		assert_eq!(Providers::<Test>::get(id).unwrap().heartbeat.counter, 0);
		assert!(!crate::QosWindows::<Test>::contains_key(id), "the old key's reports are gone");
		run_to(3);
		// The old key's heartbeats no longer verify, whatever their counter.
		assert_noop!(send(&old, heartbeat(id, 1)), Error::<Test>::BadSignature);
		assert_ok!(send(&new, heartbeat(id, 1)));
		assert_eq!(Providers::<Test>::get(id).unwrap().heartbeat.counter, 1);
	});
}

#[test]
fn heartbeat_is_valid_both_as_authorized_and_as_bare_transaction() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = staked(&key, ALICE);
		let hb = heartbeat(id, 1);
		let call = Call::<Test>::heartbeat { heartbeat: hb.clone(), signature: sign(&key, &hb) };

		// Authorized (general transaction) path.
		let (valid, refund) = call.authorize(TransactionSource::External).unwrap().unwrap();
		// The authorization declares the SLH-DSA check; an ML-DSA key leaves the difference.
		let ml_dsa = <() as crate::weights::WeightInfo>::authorize_heartbeat_ml_dsa();
		assert_eq!(refund, Registry::authorize_heartbeat_worst() - ml_dsa);
		assert_ne!(refund, Weight::zero());
		assert_eq!(
			Registry::authorize_heartbeat_unspent(aicf_primitives::KeyAlgorithm::SlhDsaSha2_128s),
			Weight::zero()
		);
		// Base priority plus the blocks since the last heartbeat (an interval for the first).
		assert_eq!(valid.priority, 100 + HEARTBEAT_INTERVAL);
		assert_eq!(valid.provides.len(), 1);
		// Bare path: the same validity.
		let bare = Registry::validate_unsigned(TransactionSource::External, &call).unwrap();
		assert_eq!(bare.provides, valid.provides);
		// Both name the same rejection for a bad signature.
		let bad =
			Call::<Test>::heartbeat { heartbeat: hb.clone(), signature: sign(&ml_key(2), &hb) };
		let bad_proof = TransactionValidityError::Invalid(InvalidTransaction::BadProof);
		assert_eq!(bad.authorize(TransactionSource::External).unwrap(), Err(bad_proof));
		assert_eq!(Registry::validate_unsigned(TransactionSource::External, &bad), Err(bad_proof));
		// Other calls are not accepted unsigned.
		let other = Call::<Test>::rebond { provider: id };
		assert!(Registry::validate_unsigned(TransactionSource::External, &other).is_err());
		assert!(Registry::pre_dispatch(&other).is_err());

		// In a block, the bare form's check runs every rule but the signature, which the call
		// verifies (once, weighed): a bad signature passes `pre_dispatch` and the call refuses
		// it with nothing changed; every other rule is still enforced before the call.
		assert_eq!(Registry::pre_dispatch(&bad), Ok(()));
		// Its slot of the block's budget is taken even though the call fails: every
		// heartbeat a block includes counts.
		assert_eq!(Registry::heartbeats_in_block(), 1);
		let before = Providers::<Test>::get(id);
		assert_noop!(
			Registry::heartbeat(RuntimeOrigin::none(), hb.clone(), sign(&ml_key(2), &hb)),
			Error::<Test>::BadSignature
		);
		assert_eq!(Providers::<Test>::get(id), before);
		assert_eq!(Registry::heartbeats_in_block(), 1);
		let mut stale = hb.clone();
		stale.counter = 0;
		let stale = Call::<Test>::heartbeat { signature: sign(&key, &stale), heartbeat: stale };
		assert_eq!(
			Registry::pre_dispatch(&stale),
			Err(TransactionValidityError::Invalid(HeartbeatRejection::StaleCounter.into()))
		);

		// Dispatch with the authorized origin: the signature was verified by the validity check
		// (`AuthorizeCall`), so the dispatch weighs only the bookkeeping.
		let post = Registry::heartbeat(
			frame_system::RawOrigin::Authorized.into(),
			hb.clone(),
			sign(&key, &hb),
		)
		.unwrap();
		use crate::weights::WeightInfo;
		assert_eq!(post.actual_weight, Some(<() as WeightInfo>::heartbeat_authorized()));
		// Cheaper than the bare form, which verifies the signature in the call and takes its
		// budget slot (one read, one write) in `pre_dispatch`, at the runtime's database weights
		// (the mock's are zero).
		let slot = frame_support::weights::constants::ParityDbWeight::get().reads_writes(1, 1);
		assert!(
			<() as WeightInfo>::heartbeat_authorized().ref_time()
				< <() as WeightInfo>::heartbeat_ml_dsa().saturating_add(slot).ref_time()
		);
		assert!(call.get_dispatch_info().call_weight.ref_time() > 0);
		// A signed origin is not accepted: heartbeats come from the registry key alone.
		assert_noop!(
			Registry::heartbeat(
				RuntimeOrigin::signed(ALICE),
				heartbeat(id, 2),
				sign(&key, &heartbeat(id, 2))
			),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn effective_health_decays_per_missed_interval() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = staked(&key, ALICE);
		let mut hb = heartbeat(id, 1);
		hb.report.availability_bps = 10_000;
		assert_ok!(send(&key, hb));
		let record = Providers::<Test>::get(id).unwrap();
		// On time up to the due block plus the grace: no decay.
		assert_eq!(
			Registry::effective_health(&id, &record, 1 + HEARTBEAT_INTERVAL + HEARTBEAT_GRACE),
			Permill::one()
		);
		for k in 0..6u64 {
			let at = if k == 0 { 1 } else { missing_from(1, k) };
			let got = Registry::effective_health(&id, &record, at).deconstruct() as f64 / 1e6;
			let want = 0.8f64.powi(k as i32);
			assert!((got - want).abs() < 1e-5, "k={k}: {got} vs {want}");
			// Within an interval nothing more decays.
			assert_eq!(
				Registry::effective_health(&id, &record, at + HEARTBEAT_INTERVAL - 1),
				Registry::effective_health(&id, &record, at)
			);
		}
		// Decayed 0.64 then a perfect heartbeat: 0.64·0.5 + 1·0.5 = 0.82.
		run_to(missing_from(1, 2));
		let mut hb = heartbeat(id, 2);
		hb.report.availability_bps = 10_000;
		assert_ok!(send(&key, hb));
		assert_eq!(Providers::<Test>::get(id).unwrap().heartbeat.health, Permill::from_percent(82));
	});
}

#[test]
fn silent_provider_is_ineligible_at_once() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = active(&key, ALICE);
		// Still on time at the last block of the grace; ineligible the block after.
		run_to(1 + HEARTBEAT_INTERVAL + HEARTBEAT_GRACE);
		let record = Providers::<Test>::get(id).unwrap();
		assert!(Registry::status_input(&record, &id).heartbeat_recent);
		run_to(missing_from(1, 1));
		let record = Providers::<Test>::get(id).unwrap();
		let input = Registry::status_input(&record, &id);
		assert!(!input.heartbeat_recent);
		assert_eq!(crate::status::decide(input), ProviderStatus::Registered);
		// A heartbeat restores it.
		assert_ok!(send(&key, heartbeat(id, 2)));
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Active);
	});
}

const SILENT_TOO_LONG: u64 = missing_from(1, 4); // 4 > MaxMissedHeartbeats (3)

#[test]
fn silent_provider_is_jailed_when_a_call_touches_it() {
	ExtBuilder::build_and_execute(|| {
		let id = active(&ml_key(1), ALICE);
		run_to(SILENT_TOO_LONG);
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, 1));
		let r = Providers::<Test>::get(id).unwrap();
		assert_eq!(r.status, ProviderStatus::Jailed);
		assert_eq!(r.jailed_until, Some(SILENT_TOO_LONG + JAIL_COOLDOWN));
		assert!(registry_events().contains(&Event::StatusChanged {
			provider: id,
			from: ProviderStatus::Active,
			to: ProviderStatus::Jailed,
			reason: StatusReason::Unresponsive,
		}));
	});
}

#[test]
fn a_call_made_during_the_silence_does_not_excuse_it() {
	ExtBuilder::build_and_execute(|| {
		let id = active(&ml_key(1), ALICE);
		let unattested = active(&ml_key(2), BOB);
		// One deadline missed: ineligible and shown REGISTERED, but a call touching the
		// record leaves it stored ACTIVE (silence alone never moves the stored status).
		run_to(missing_from(1, 1));
		System::reset_events();
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, 1));
		let record = Providers::<Test>::get(id).unwrap();
		assert_eq!(record.status, ProviderStatus::Active);
		assert_eq!(
			Registry::effective_status(&id, &record, System::block_number()),
			ProviderStatus::Registered
		);
		assert!(!registry_events().iter().any(|e| matches!(e, Event::StatusChanged { .. })));
		assert_noop!(
			Registry::report_unresponsive(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NotUnresponsive
		);
		// The other stops holding itself out: its attestation is revoked, which is stored.
		assert_ok!(<Registry as AttestationSink<u64>>::attestation_revoked(
			&unattested,
			aicf_primitives::CapabilityKind::Ai
		));
		assert_eq!(Providers::<Test>::get(unattested).unwrap().status, ProviderStatus::Registered);
		run_to(SILENT_TOO_LONG);
		assert_ok!(Registry::report_unresponsive(RuntimeOrigin::signed(BOB), id));
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Jailed);
		// Without a current attestation it offers nothing and is not jailed for silence.
		assert_noop!(
			Registry::report_unresponsive(RuntimeOrigin::signed(ALICE), unattested),
			Error::<Test>::NotUnresponsive
		);
	});
}

#[test]
fn report_unresponsive_jails_for_free_when_true_and_fails_when_false() {
	ExtBuilder::build_and_execute(|| {
		let id = active(&ml_key(1), ALICE);
		run_to(SILENT_TOO_LONG - 1);
		assert_noop!(
			Registry::report_unresponsive(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NotUnresponsive
		);
		let unknown = ml_key(9).public().provider_id();
		assert_noop!(
			Registry::report_unresponsive(RuntimeOrigin::signed(BOB), unknown),
			Error::<Test>::UnknownProvider
		);
		run_to(SILENT_TOO_LONG);
		let post = Registry::report_unresponsive(RuntimeOrigin::signed(BOB), id).unwrap();
		assert_eq!(post.pays_fee, Pays::No);
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Jailed);
		// Already jailed: no longer reportable.
		assert_noop!(
			Registry::report_unresponsive(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NotUnresponsive
		);
	});
}

#[test]
fn on_idle_sweep_jails_silent_providers_within_its_bounds() {
	ExtBuilder::build_and_execute(|| {
		let ids = [active(&ml_key(1), ALICE), active(&ml_key(2), ALICE), active(&ml_key(3), BOB)];
		run_to(SILENT_TOO_LONG);
		// No weight: nothing happens.
		assert_eq!(Registry::on_idle(SILENT_TOO_LONG, Weight::zero()), Weight::zero());
		assert!(ids
			.iter()
			.all(|id| Providers::<Test>::get(id).unwrap().status == ProviderStatus::Active));
		// MaxSweepPerBlock = 2: two records this block, the third the next.
		let used = Registry::on_idle(SILENT_TOO_LONG, Weight::MAX);
		assert!(used.ref_time() > 0);
		let jailed = |ids: &[ProviderId]| {
			ids.iter()
				.filter(|id| Providers::<Test>::get(*id).unwrap().status == ProviderStatus::Jailed)
				.count()
		};
		assert_eq!(jailed(&ids), 2);
		Registry::on_idle(SILENT_TOO_LONG + 1, Weight::MAX);
		assert_eq!(jailed(&ids), 3);
	});
}

#[test]
fn unjail_requires_cooldown_stake_attestation_heartbeat_and_health() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = active(&key, ALICE);
		assert_noop!(Registry::unjail(RuntimeOrigin::signed(ALICE), id), Error::<Test>::NotJailed);
		run_to(SILENT_TOO_LONG);
		assert_ok!(Registry::report_unresponsive(RuntimeOrigin::signed(BOB), id));
		let until = SILENT_TOO_LONG + JAIL_COOLDOWN;
		assert_noop!(Registry::unjail(RuntimeOrigin::signed(ALICE), id), Error::<Test>::InCooldown);
		run_to(until);
		assert_noop!(
			Registry::unjail(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::HeartbeatNotRecent
		);
		// A poor heartbeat: health stays below the threshold.
		let mut hb = heartbeat(id, 2);
		hb.report.availability_bps = 1_000;
		assert_ok!(send(&key, hb));
		assert_noop!(Registry::unjail(RuntimeOrigin::signed(ALICE), id), Error::<Test>::Unhealthy);
		for (i, block) in (until + 2..until + 12).step_by(2).enumerate() {
			run_to(block);
			assert_ok!(send(&key, heartbeat(id, 3 + i as u64)));
		}
		assert_ok!(<Registry as AttestationSink<u64>>::attestation_revoked(
			&id,
			aicf_primitives::CapabilityKind::Ai
		));
		assert_noop!(
			Registry::unjail(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::AttestationNotCurrent
		);
		attest(id);
		Ledgers::<Test>::mutate(id, |l| l.as_mut().unwrap().bonded = 0);
		assert_noop!(
			Registry::unjail(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::InsufficientBonded
		);
		Ledgers::<Test>::mutate(id, |l| l.as_mut().unwrap().bonded = MIN_STAKE_AI);
		assert_noop!(
			Registry::unjail(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NotController
		);
		assert_ok!(Registry::unjail(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Active);
		assert!(registry_events().contains(&Event::Unjailed { provider: id }));
	});
}

#[test]
fn a_heartbeat_is_charged_its_status_change_and_refunded_without_one() {
	use crate::weights::WeightInfo;
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = register(&key, ALICE);
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, MIN_STAKE_AI));
		attest(id);
		// Declared: the worst case, a status change with the slower algorithm.
		let hb = heartbeat(id, 1);
		let call = Call::<Test>::heartbeat { heartbeat: hb.clone(), signature: sign(&key, &hb) };
		let declared = call.get_dispatch_info().call_weight;
		assert_eq!(declared, Registry::heartbeat_worst_weight());
		let extra = Registry::heartbeat_status_change_extra();
		assert!(extra.ref_time() > 0);

		// The first heartbeat turns the provider ACTIVE: charged the status change.
		let post = send(&key, hb).unwrap();
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Active);
		let bare =
			<() as WeightInfo>::heartbeat_ml_dsa().saturating_add(Registry::bare_heartbeat_slot());
		assert_eq!(post.actual_weight, Some(bare.saturating_add(extra)));
		assert!(post.actual_weight.unwrap().all_lte(declared));
		// At least the whole measured status-changing heartbeat on top of the routine one.
		assert!(post
			.actual_weight
			.unwrap()
			.all_gte(bare.saturating_add(<() as WeightInfo>::heartbeat_status_change())));

		// A routine heartbeat: no status change, no index writes, refunded down to the call.
		run_to(System::block_number() + 2);
		let post = send(&key, heartbeat(id, 2)).unwrap();
		assert_eq!(post.actual_weight, Some(bare));
	});
}
