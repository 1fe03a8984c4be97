//! Governance's jail without slash and forced offboarding; exits that cannot outrun a slash.

use super::heartbeat::{active, heartbeat, send};
use crate::{
	mock::*, EligibleIndex, Error, Event, GovernanceReason, HoldReason, Ledgers, Providers,
	StatusReason, UnbondingChunk, MAX_GOVERNANCE_REASON_LEN,
};
use aicf_primitives::{
	traits::{LeaseOutcome, Offence, ProviderLeases, ProviderPenalties},
	ProviderStatus,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::InspectHold, Get},
};
use sp_runtime::DispatchError;

/// The mock's `OffenceReportWindow`.
const WINDOW: u64 = 40;

fn reason(s: &str) -> GovernanceReason {
	GovernanceReason::truncate_from(s.as_bytes().to_vec())
}

fn stake_held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::ProviderStake.into(), &who)
}

fn deposit_held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::RegistrationDeposit.into(), &who)
}

#[test]
fn governance_jails_without_a_slash() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = active(&key, ALICE);
		let ledger_before = Ledgers::<Test>::get(id);
		let health_before = Providers::<Test>::get(id).unwrap().heartbeat.health;
		let treasury_before = Balances::free_balance(TREASURY);

		assert_ok!(Registry::force_jail(RuntimeOrigin::root(), id, 30, reason("ref #12: audit")));

		let r = Providers::<Test>::get(id).unwrap();
		assert_eq!(r.status, ProviderStatus::Jailed);
		assert_eq!(r.jailed_until, Some(1 + 30));
		assert!(r.cooldown_until >= 31, "funds stay held while jailed");
		assert_eq!(r.heartbeat.health, health_before, "no health taken");
		assert_eq!(Ledgers::<Test>::get(id), ledger_before, "nothing slashed");
		assert_eq!(Balances::free_balance(TREASURY), treasury_before);
		assert_eq!(EligibleIndex::<Test>::iter().count(), 0, "out of the matchers' index");
		let events = registry_events();
		assert!(events.contains(&Event::ForceJailed {
			provider: id,
			until: 31,
			reason: reason("ref #12: audit")
		}));
		assert!(events.contains(&Event::StatusChanged {
			provider: id,
			from: ProviderStatus::Active,
			to: ProviderStatus::Jailed,
			reason: StatusReason::Governance,
		}));
		// A second jail extends to the later end, never shortens.
		assert_ok!(Registry::force_jail(RuntimeOrigin::root(), id, 5, reason("again")));
		assert_eq!(Providers::<Test>::get(id).unwrap().jailed_until, Some(31));

		// The controller leaves jail under the usual rules once it ends.
		assert_noop!(Registry::unjail(RuntimeOrigin::signed(ALICE), id), Error::<Test>::InCooldown);
		run_to(31);
		assert_ok!(send(&key, heartbeat(id, 2)));
		assert_ok!(Registry::unjail(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Active);
	});
}

#[test]
fn force_jail_refusals_change_nothing() {
	ExtBuilder::build_and_execute(|| {
		let id = active(&ml_key(1), ALICE);
		assert_noop!(
			Registry::force_jail(RuntimeOrigin::signed(ALICE), id, 10, reason("self")),
			DispatchError::BadOrigin
		);
		for bad in [&b""[..], &b"tab\there"[..], "é".as_bytes(), &[0u8][..]] {
			assert_noop!(
				Registry::force_jail(
					RuntimeOrigin::root(),
					id,
					10,
					GovernanceReason::truncate_from(bad.to_vec())
				),
				Error::<Test>::InvalidReason
			);
		}
		// The longest reason and the longest jail are accepted (checked last, below).
		// Zero blocks, or longer than `MaxGovernanceJailBlocks` (1 000 in the mock).
		for duration in [0, 1_001, u64::MAX] {
			assert_noop!(
				Registry::force_jail(RuntimeOrigin::root(), id, duration, reason("bounded")),
				Error::<Test>::InvalidJailDuration
			);
		}
		let unknown = ml_key(9).public().provider_id();
		assert_noop!(
			Registry::force_jail(RuntimeOrigin::root(), unknown, 10, reason("who")),
			Error::<Test>::UnknownProvider
		);
		let gone = register(&ml_key(2), BOB);
		assert_ok!(Registry::deregister(RuntimeOrigin::signed(BOB), gone));
		assert_noop!(
			Registry::force_jail(RuntimeOrigin::root(), gone, 10, reason("late")),
			Error::<Test>::ProviderDeregistered
		);
		let longest =
			GovernanceReason::truncate_from(vec![b'x'; MAX_GOVERNANCE_REASON_LEN as usize]);
		assert_ok!(Registry::force_jail(RuntimeOrigin::root(), id, 1_000, longest));
		assert_eq!(Providers::<Test>::get(id).unwrap().jailed_until, Some(1 + 1_000));
	});
}

#[test]
fn governance_offboards_a_provider_with_leases_and_stake() {
	ExtBuilder::build_and_execute(|| {
		let id = active(&ml_key(1), ALICE);
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, 500));
		assert_ok!(<Registry as ProviderLeases>::acquire_lease(&id));
		assert_ok!(<Registry as ProviderLeases>::acquire_lease(&id));
		let bonded = Ledgers::<Test>::get(id).unwrap().bonded;
		assert_eq!(bonded, MIN_STAKE_AI + 500);
		assert_eq!(deposit_held(ALICE), REGISTRATION_DEPOSIT);
		let treasury_before = Balances::free_balance(TREASURY);
		run_to(5);

		assert_ok!(Registry::force_deregister(RuntimeOrigin::root(), id, reason("sanctions list")));

		let r = Providers::<Test>::get(id).expect("the record is kept");
		assert_eq!(r.status, ProviderStatus::Deregistered);
		assert_eq!(r.leases_in_use, 0);
		assert_eq!(r.cooldown_until, 5 + WINDOW);
		// Bonded stake unbonds like an unstake made now (the stake's lock ends at 1 + 10).
		let ledger = Ledgers::<Test>::get(id).unwrap();
		assert_eq!(ledger.bonded, 0);
		assert_eq!(
			ledger.unbonding.to_vec(),
			vec![UnbondingChunk { amount: bonded, withdrawn: 0, start: 11, end: 11 + UNBONDING }]
		);
		assert_eq!(stake_held(ALICE), bonded, "still held, not slashed");
		assert_eq!(Balances::free_balance(TREASURY), treasury_before);
		assert_eq!(deposit_held(ALICE), 0, "the deposit is returned: not the provider's fault");
		assert!(crate::ControllerProviders::<Test>::get(ALICE).is_empty());
		assert_eq!(EligibleIndex::<Test>::iter().count(), 0);
		assert!(!crate::QosWindows::<Test>::contains_key(id));
		let events = registry_events();
		assert!(events.contains(&Event::ForceDeregistered {
			provider: id,
			reason: reason("sanctions list"),
			leases_released: 2,
			unbonding: bonded,
		}));
		assert!(events.contains(&Event::StatusChanged {
			provider: id,
			from: ProviderStatus::Active,
			to: ProviderStatus::Deregistered,
			reason: StatusReason::Governance,
		}));
		// A matcher releasing one of those leases learns it is gone.
		assert_noop!(
			<Registry as ProviderLeases>::release_lease(&id, LeaseOutcome::Completed),
			Error::<Test>::NoOpenLease
		);

		// The funds leave after the unbonding and the window, whichever ends later.
		run_to(5 + WINDOW - 1);
		assert_noop!(
			Registry::withdraw(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::InCooldown
		);
		run_to(5 + WINDOW);
		assert_ok!(Registry::withdraw(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(stake_held(ALICE), 0);
	});
}

#[test]
fn force_deregister_with_every_unbonding_slot_taken_keeps_all_the_stake() {
	ExtBuilder::build_and_execute(|| {
		let id = active(&ml_key(1), ALICE);
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, 100));
		let chunks = <Test as crate::Config>::MaxUnbondingChunks::get();
		for _ in 0..chunks {
			assert_ok!(Registry::unstake(RuntimeOrigin::signed(ALICE), id, 1));
		}
		let held_before = stake_held(ALICE);
		run_to(3);
		assert_ok!(Registry::force_deregister(RuntimeOrigin::root(), id, reason("policy")));
		let ledger = Ledgers::<Test>::get(id).unwrap();
		assert_eq!(ledger.bonded, 0);
		assert_eq!(ledger.unbonding.len() as u32, chunks, "no chunk lost");
		assert_eq!(ledger.unbonding_remaining(), held_before, "every unit still accounted for");
		let newest = ledger.unbonding.last().unwrap();
		assert_eq!((newest.start, newest.end), (11, 11 + UNBONDING), "the newest unlocks later");
	});
}

#[test]
fn force_deregister_refusals_change_nothing() {
	ExtBuilder::build_and_execute(|| {
		let id = active(&ml_key(1), ALICE);
		assert_noop!(
			Registry::force_deregister(RuntimeOrigin::signed(ALICE), id, reason("x")),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::force_deregister(RuntimeOrigin::root(), id, reason("")),
			Error::<Test>::InvalidReason
		);
		let unknown = ml_key(9).public().provider_id();
		assert_noop!(
			Registry::force_deregister(RuntimeOrigin::root(), unknown, reason("who")),
			Error::<Test>::UnknownProvider
		);
		assert_ok!(Registry::force_deregister(RuntimeOrigin::root(), id, reason("policy")));
		assert_noop!(
			Registry::force_deregister(RuntimeOrigin::root(), id, reason("twice")),
			Error::<Test>::ProviderDeregistered
		);
	});
}

/// The attack: misbehave on a lease, then unstake and withdraw before the report arrives.
#[test]
fn a_provider_cannot_withdraw_before_an_offence_on_its_last_lease_can_be_reported() {
	ExtBuilder::build_and_execute(|| {
		let id = active(&ml_key(1), ALICE);
		assert_ok!(<Registry as ProviderLeases>::acquire_lease(&id));
		// Unstake at once; the unbonding ends at 1 + 10 + 20.
		assert_ok!(Registry::unstake(RuntimeOrigin::signed(ALICE), id, MIN_STAKE_AI));
		run_to(31);
		assert_noop!(
			Registry::withdraw(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::OpenLeases
		);
		// The matcher times the lease out and releases it; its SLA accounting reports later,
		// within the window.
		assert_ok!(<Registry as ProviderLeases>::release_lease(&id, LeaseOutcome::Completed));
		run_to(31 + WINDOW - 1);
		assert_noop!(
			Registry::withdraw(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::InCooldown
		);
		assert_ok!(<Registry as ProviderPenalties>::report_offence(&id, Offence::LeaseAbandoned));
		// 1 % of the stake went to the treasury from the unbonding chunk.
		let ledger = Ledgers::<Test>::get(id).unwrap();
		assert_eq!(ledger.unbonding_remaining(), MIN_STAKE_AI - MIN_STAKE_AI / 100);
		assert_eq!(stake_held(ALICE), MIN_STAKE_AI - MIN_STAKE_AI / 100);
	});
}

/// The attack's other form: leave altogether, then hope the report is refused.
#[test]
fn an_offence_after_deregistration_is_recorded_within_the_window() {
	ExtBuilder::build_and_execute(|| {
		let id = register(&ml_key(1), ALICE);
		assert_ok!(Registry::deregister(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(Providers::<Test>::get(id).unwrap().cooldown_until, 1 + WINDOW);
		run_to(WINDOW);
		assert_ok!(Registry::report_offence(RuntimeOrigin::root(), id, Offence::InvalidProof));
		let r = Providers::<Test>::get(id).unwrap();
		assert_eq!(r.status, ProviderStatus::Deregistered, "not jailed: DEREGISTERED is terminal");
		assert_eq!(r.jailed_until, None);
		assert_eq!(r.cooldown_until, 1 + WINDOW, "a report does not keep the window open");
		// Nothing is held any more: the whole minimum slash is owed.
		assert_eq!(Ledgers::<Test>::get(id).unwrap().liabilities, MIN_INVALID_PROOF_SLASH);
		assert!(registry_events().contains(&Event::Slashed {
			provider: id,
			amount: 0,
			liability: MIN_INVALID_PROOF_SLASH
		}));
		// The liability can be paid like any other.
		assert_ok!(Registry::pay_liability(
			RuntimeOrigin::signed(ALICE),
			id,
			MIN_INVALID_PROOF_SLASH
		));
		assert_eq!(Ledgers::<Test>::get(id).unwrap().liabilities, 0);
		// Past the window, with nothing held, the provider is out of reach.
		run_to(1 + WINDOW);
		assert_noop!(
			Registry::report_offence(RuntimeOrigin::root(), id, Offence::InvalidProof),
			Error::<Test>::ProviderDeregistered
		);
	});
}

/// The reason a forced deregistration keeps the stake held: a report in the window takes it.
#[test]
fn an_offence_against_a_force_deregistered_provider_slashes_its_unbonding_stake() {
	ExtBuilder::build_and_execute(|| {
		let id = active(&ml_key(1), ALICE);
		assert_ok!(<Registry as ProviderLeases>::acquire_lease(&id));
		assert_ok!(Registry::force_deregister(RuntimeOrigin::root(), id, reason("compliance")));
		run_to(1 + WINDOW - 1);
		let treasury_before = Balances::free_balance(TREASURY);
		assert_ok!(<Registry as ProviderPenalties>::report_offence(&id, Offence::LeaseAbandoned));
		assert_eq!(Balances::free_balance(TREASURY), treasury_before + MIN_STAKE_AI / 100);
		assert_eq!(stake_held(ALICE), MIN_STAKE_AI - MIN_STAKE_AI / 100);
		assert_eq!(Providers::<Test>::get(id).unwrap().cooldown_until, 1 + WINDOW);
		// Past the window, still answerable while stake is held (it was never withdrawn) ...
		run_to(1 + WINDOW + 5);
		assert_ok!(<Registry as ProviderPenalties>::report_offence(&id, Offence::LeaseAbandoned));
		// ... and out of reach once it is gone.
		assert_ok!(Registry::withdraw(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(stake_held(ALICE), 0);
		assert_noop!(
			<Registry as ProviderPenalties>::report_offence(&id, Offence::LeaseAbandoned),
			Error::<Test>::ProviderDeregistered
		);
	});
}

/// Two providers under one controller share its hold: offboarding one leaves the other's
/// stake, deposit, listing and status alone.
#[test]
fn force_deregister_leaves_the_controllers_other_providers_alone() {
	ExtBuilder::build_and_execute(|| {
		let (one, two) = (active(&ml_key(1), ALICE), active(&ml_key(2), ALICE));
		assert_eq!(stake_held(ALICE), 2 * MIN_STAKE_AI);
		assert_eq!(deposit_held(ALICE), 2 * REGISTRATION_DEPOSIT);
		assert_ok!(Registry::force_deregister(RuntimeOrigin::root(), one, reason("policy")));
		assert_eq!(crate::ControllerProviders::<Test>::get(ALICE).to_vec(), vec![two]);
		assert_eq!(stake_held(ALICE), 2 * MIN_STAKE_AI, "both stakes still held");
		assert_eq!(deposit_held(ALICE), REGISTRATION_DEPOSIT, "only the first deposit returned");
		assert_eq!(Ledgers::<Test>::get(two).unwrap().bonded, MIN_STAKE_AI);
		assert_eq!(Providers::<Test>::get(two).unwrap().status, ProviderStatus::Active);
		assert!(EligibleIndex::<Test>::iter().all(|(_, p, _)| p == two));
	});
}
