//! The jobs pallet against the scripted registry: what it asks of the registry's traits, its
//! escrow, its deadlines, and every error with nothing changed.

use crate::{mock::*, Deadlines, Error, Event, Leases, NextLeaseId};
use aicf_primitives::traits::LeaseOutcome;
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Inspect, Hooks},
};

fn escrow() -> AccountId {
	Jobs::escrow_account()
}

fn one_provider() -> aicf_primitives::ProviderId {
	let p = provider(1);
	registry(|r| r.providers.push((p, CONTROLLER)));
	p
}

fn request(price: Balance, duration: u64) -> frame_support::dispatch::DispatchResult {
	Jobs::request_lease(RuntimeOrigin::signed(REQUESTER), requirements(), price, duration)
}

fn check() {
	assert_ok!(Jobs::do_try_state());
}

#[test]
fn a_lease_is_granted_escrowed_completed_and_credited_for_the_epoch() {
	new_test_ext().execute_with(|| {
		let p = one_provider();
		assert_ok!(request(100, 50));
		System::assert_last_event(
			Event::LeaseGranted {
				lease: 0,
				requester: REQUESTER,
				provider: p,
				price: 100,
				deadline: 51,
			}
			.into(),
		);
		assert_eq!(Balances::balance(&escrow()), 100);
		assert_eq!(Balances::balance(&REQUESTER), 9_900);
		assert_eq!(Deadlines::<Test>::get(51).to_vec(), vec![0]);
		check();

		System::set_block_number(250);
		assert_ok!(Jobs::complete(RuntimeOrigin::signed(CONTROLLER), 0, [9; 32]));
		System::assert_last_event(
			Event::LeaseCompleted {
				lease: 0,
				provider: p,
				epoch: 2,
				price: 100,
				result_hash: [9; 32],
			}
			.into(),
		);
		// The price went to the registry's pot and was credited for epoch 250 / 100.
		assert_eq!(Balances::balance(&POT), 101);
		assert_eq!(Balances::balance(&escrow()), 0);
		registry(|r| {
			assert_eq!(r.credited, vec![(p, 2, 100)]);
			assert_eq!(r.released, vec![(p, LeaseOutcome::Completed)]);
		});
		assert!(Leases::<Test>::get(0).is_none());
		assert!(Deadlines::<Test>::get(51).is_empty());
		check();
	});
}

#[test]
fn abandonment_refunds_the_requester_and_counts_against_the_provider() {
	new_test_ext().execute_with(|| {
		let p = one_provider();
		assert_ok!(request(100, 50));
		assert_ok!(Jobs::abandon(RuntimeOrigin::signed(CONTROLLER), 0));
		System::assert_last_event(Event::LeaseAbandoned { lease: 0, provider: p }.into());
		assert_eq!(Balances::balance(&REQUESTER), 10_000);
		registry(|r| {
			assert!(r.credited.is_empty());
			assert_eq!(r.released, vec![(p, LeaseOutcome::Abandoned)]);
		});
		assert!(Leases::<Test>::get(0).is_none());
		check();
	});
}

#[test]
fn an_unsettled_lease_times_out_at_its_deadline_and_not_before() {
	new_test_ext().execute_with(|| {
		let p = one_provider();
		assert_ok!(request(100, 5));
		Jobs::on_initialize(5);
		assert!(Leases::<Test>::get(0).is_some(), "one block before the deadline");
		Jobs::on_initialize(6);
		System::assert_last_event(Event::LeaseTimedOut { lease: 0, provider: p }.into());
		assert_eq!(Balances::balance(&REQUESTER), 10_000);
		registry(|r| assert_eq!(r.released, vec![(p, LeaseOutcome::TimedOut)]));
		assert!(Leases::<Test>::get(0).is_none());
		assert!(!Deadlines::<Test>::contains_key(6));
		// Settled: the controller can no longer act on it.
		assert_noop!(
			Jobs::complete(RuntimeOrigin::signed(CONTROLLER), 0, [0; 32]),
			Error::<Test>::UnknownLease
		);
		check();
	});
}

#[test]
fn a_lease_the_registry_already_released_is_refunded_at_its_deadline() {
	new_test_ext().execute_with(|| {
		let p = one_provider();
		assert_ok!(request(100, 5));
		// Governance force-deregistered the provider: its leases are gone from the registry.
		registry(|r| {
			r.open.insert(p, 0);
		});
		assert_noop!(
			Jobs::complete(RuntimeOrigin::signed(CONTROLLER), 0, [0; 32]),
			sp_runtime::DispatchError::Other("NoOpenLease")
		);
		Jobs::on_initialize(6);
		assert_eq!(Balances::balance(&REQUESTER), 10_000);
		assert!(Leases::<Test>::get(0).is_none());
		registry(|r| assert!(r.released.is_empty()));
		check();
	});
}

#[test]
fn the_first_candidate_with_a_free_slot_is_leased() {
	new_test_ext().execute_with(|| {
		registry(|r| {
			r.providers = vec![(provider(1), 10), (provider(2), 20)];
			r.slots.insert(provider(1), 0);
		});
		assert_ok!(request(100, 50));
		assert_eq!(Leases::<Test>::get(0).map(|l| l.provider), Some(provider(2)));
	});
}

#[test]
fn request_errors_change_nothing() {
	new_test_ext().execute_with(|| {
		assert_noop!(request(100, 50), Error::<Test>::NoCandidates);
		let p = one_provider();
		assert_noop!(request(100, 0), Error::<Test>::InvalidDuration);
		// Shorter than `MinLeaseBlocks` (5): it would time out before the provider could act.
		assert_noop!(request(100, 4), Error::<Test>::InvalidDuration);
		assert_noop!(request(100, 1_001), Error::<Test>::InvalidDuration);
		assert_noop!(request(9, 50), Error::<Test>::PriceTooLow);
		let mut many = requirements();
		many.regions = vec![
			frame_support::BoundedVec::truncate_from(b"a".to_vec()),
			frame_support::BoundedVec::truncate_from(b"b".to_vec()),
			frame_support::BoundedVec::truncate_from(b"c".to_vec()),
		];
		assert_noop!(
			Jobs::request_lease(RuntimeOrigin::signed(REQUESTER), many, 100, 50),
			Error::<Test>::TooManyRegions
		);
		// The requester cannot pay and stay alive. (The call is one storage transaction: on
		// the runtime the registry's slot is given back with it; the scripted registry here
		// keeps its state outside storage.)
		assert_noop!(request(10_000, 50), Error::<Test>::InsufficientBalance);
		// `MaxDeadlinesPerBlock` leases at one deadline.
		registry(|r| {
			r.slots.insert(p, 10);
		});
		for _ in 0..MAX_DEADLINES {
			assert_ok!(request(10, 50));
		}
		assert_noop!(request(10, 50), Error::<Test>::DeadlineFull);
		assert_ok!(request(10, 51));
		assert_eq!(NextLeaseId::<Test>::get(), u64::from(MAX_DEADLINES) + 1);
		check();
	});
}

#[test]
fn settlement_errors_change_nothing() {
	new_test_ext().execute_with(|| {
		one_provider();
		assert_ok!(request(100, 50));
		assert_noop!(
			Jobs::complete(RuntimeOrigin::signed(CONTROLLER), 7, [0; 32]),
			Error::<Test>::UnknownLease
		);
		assert_noop!(
			Jobs::abandon(RuntimeOrigin::signed(CONTROLLER), 7),
			Error::<Test>::UnknownLease
		);
		// Neither the requester nor anyone else can settle the provider's lease.
		for who in [REQUESTER, STRANGER] {
			assert_noop!(
				Jobs::complete(RuntimeOrigin::signed(who), 0, [0; 32]),
				Error::<Test>::NotProviderController
			);
			assert_noop!(
				Jobs::abandon(RuntimeOrigin::signed(who), 0),
				Error::<Test>::NotProviderController
			);
		}
		// The registry refuses both the current epoch and the next (both paid out): the
		// completion fails whole.
		registry(|r| r.claimed_epochs = vec![0, 1]);
		assert_noop!(
			Jobs::complete(RuntimeOrigin::signed(CONTROLLER), 0, [0; 32]),
			sp_runtime::DispatchError::Other("PayoutAlreadyClaimed")
		);
		assert_eq!(Balances::balance(&escrow()), 100);
		check();
	});
}

#[test]
fn a_completion_in_an_epoch_already_paid_out_is_credited_to_the_next() {
	new_test_ext().execute_with(|| {
		let p = one_provider();
		assert_ok!(request(100, 50));
		registry(|r| r.claimed_epochs = vec![0]);
		assert_ok!(Jobs::complete(RuntimeOrigin::signed(CONTROLLER), 0, [0; 32]));
		System::assert_last_event(
			Event::LeaseCompleted {
				lease: 0,
				provider: p,
				epoch: 1,
				price: 100,
				result_hash: [0; 32],
			}
			.into(),
		);
		registry(|r| assert_eq!(r.credited, vec![(p, 1, 100)]));
		check();
	});
}

#[test]
fn the_timeout_hook_is_charged_per_lease_with_the_settlement_worst_case() {
	new_test_ext().execute_with(|| {
		one_provider();
		registry(|r| {
			r.slots.insert(provider(1), 10);
		});
		assert_ok!(request(10, 5));
		assert_ok!(request(10, 5));
		let idle = Jobs::on_initialize(3);
		let two = Jobs::on_initialize(6);
		use crate::WeightInfo;
		assert_eq!(idle, <() as WeightInfo>::on_initialize(0));
		assert_eq!(
			two,
			<() as WeightInfo>::on_initialize(2).saturating_add(SettlementWeight::get() * 2)
		);
		assert_eq!(Leases::<Test>::iter().count(), 0);
	});
}
