//! Offences, slashes, liabilities.

use crate::{mock::*, Error, Event, HoldReason, Ledgers, Providers};
use aicf_primitives::{
	traits::{Offence, ProviderPenalties},
	ProviderStatus,
};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use sp_runtime::DispatchError;

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Registry(HoldReason::ProviderStake), &who)
}

#[test]
fn slash_takes_held_stake_to_the_destination_and_jails() {
	ExtBuilder::build_and_execute(|| {
		let id = register(&ml_key(1), ALICE);
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, 100_000));
		assert_ok!(Registry::unstake(RuntimeOrigin::signed(ALICE), id, 20_000));
		let treasury_before = Balances::free_balance(TREASURY);
		assert_ok!(Registry::report_offence(RuntimeOrigin::root(), id, Offence::InvalidProof));
		// 10 % of 100 000 at stake, bonded first.
		let ledger = Ledgers::<Test>::get(id).unwrap();
		assert_eq!(ledger.bonded, 70_000);
		assert_eq!(ledger.unbonding[0].amount, 20_000);
		assert_eq!(ledger.liabilities, 0);
		assert_eq!(held(ALICE), 90_000);
		assert_eq!(Balances::free_balance(TREASURY), treasury_before + 10_000);
		let r = Providers::<Test>::get(id).unwrap();
		assert_eq!(r.status, ProviderStatus::Jailed);
		assert_eq!(r.cooldown_until, 1 + 15);
		let events = registry_events();
		assert!(events
			.contains(&Event::OffenceReported { provider: id, offence: Offence::InvalidProof }));
		assert!(events.contains(&Event::Slashed { provider: id, amount: 10_000, liability: 0 }));
	});
}

#[test]
fn slash_larger_than_stake_creates_a_liability_that_blocks_withdraw_and_deregister() {
	ExtBuilder::build_and_execute(|| {
		let id = register(&ml_key(1), ALICE);
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, 2_000));
		assert_ok!(Registry::unstake(RuntimeOrigin::signed(ALICE), id, 500));
		// The minimum invalid-proof slash (5 000) exceeds the 2 000 at stake.
		assert_ok!(<Registry as ProviderPenalties>::report_offence(&id, Offence::InvalidProof));
		let ledger = Ledgers::<Test>::get(id).unwrap();
		assert_eq!((ledger.bonded, ledger.unbonding.len(), ledger.liabilities), (0, 0, 3_000));
		assert_eq!(held(ALICE), 0);
		assert!(registry_events().contains(&Event::Slashed {
			provider: id,
			amount: 2_000,
			liability: 3_000
		}));
		run_to(100);
		assert_noop!(
			Registry::deregister(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::UnpaidLiabilities
		);

		assert_noop!(
			Registry::pay_liability(RuntimeOrigin::signed(ALICE), id, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Registry::pay_liability(RuntimeOrigin::signed(BOB), id, 1),
			Error::<Test>::NotController
		);
		assert_ok!(Registry::pay_liability(RuntimeOrigin::signed(ALICE), id, 1_000));
		assert!(registry_events().contains(&Event::LiabilityPaid {
			provider: id,
			amount: 1_000,
			remaining: 2_000
		}));
		// Overpaying pays only what is owed.
		assert_ok!(Registry::pay_liability(RuntimeOrigin::signed(ALICE), id, 1_000_000 - 10_000));
		assert_eq!(Ledgers::<Test>::get(id).unwrap().liabilities, 0);
		assert_noop!(
			Registry::pay_liability(RuntimeOrigin::signed(ALICE), id, 1),
			Error::<Test>::NoLiabilities
		);
		assert_ok!(Registry::deregister(RuntimeOrigin::signed(ALICE), id));
	});
}

#[test]
fn pay_liability_fails_without_funds() {
	ExtBuilder::build_and_execute(|| {
		let id = register(&ml_key(1), ALICE);
		Ledgers::<Test>::insert(
			id,
			crate::StakeLedgerOf::<Test> { liabilities: 10 * ENDOWMENT, ..Default::default() },
		);
		assert_noop!(
			Registry::pay_liability(RuntimeOrigin::signed(ALICE), id, 10 * ENDOWMENT),
			Error::<Test>::InsufficientBalance
		);
		Ledgers::<Test>::remove(id);
	});
}

#[test]
fn lease_abandonment_slashes_without_jailing_and_decays_health() {
	ExtBuilder::build_and_execute(|| {
		let id = register(&ml_key(1), ALICE);
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, 10_000));
		Providers::<Test>::mutate(id, |r| {
			r.as_mut().unwrap().heartbeat.health = sp_runtime::Permill::from_percent(90)
		});
		assert_ok!(Registry::report_offence(RuntimeOrigin::root(), id, Offence::LeaseAbandoned));
		let r = Providers::<Test>::get(id).unwrap();
		assert_eq!(r.status, ProviderStatus::Registered);
		assert_eq!(r.heartbeat.health, sp_runtime::Permill::from_percent(45));
		assert_eq!(Ledgers::<Test>::get(id).unwrap().bonded, 9_900);
		// Funds stay locked during the offence cooldown.
		assert_ok!(Registry::unstake(RuntimeOrigin::signed(ALICE), id, 9_900));
		run_to(15);
		assert_noop!(
			Registry::withdraw(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::InCooldown
		);
	});
}

#[test]
fn sla_breach_severity_scales_the_slash_and_jails_at_three() {
	ExtBuilder::build_and_execute(|| {
		let id = register(&ml_key(1), ALICE);
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, 100_000));
		assert_ok!(Registry::report_offence(
			RuntimeOrigin::root(),
			id,
			Offence::SlaBreach { severity: 2 }
		));
		assert_eq!(Ledgers::<Test>::get(id).unwrap().bonded, 99_000);
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Registered);
		assert_ok!(Registry::report_offence(
			RuntimeOrigin::root(),
			id,
			Offence::SlaBreach { severity: 3 }
		));
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Jailed);
	});
}

#[test]
fn report_offence_fails_with_specific_errors() {
	ExtBuilder::build_and_execute(|| {
		let id = register(&ml_key(1), ALICE);
		assert_noop!(
			Registry::report_offence(RuntimeOrigin::signed(ALICE), id, Offence::InvalidProof),
			DispatchError::BadOrigin
		);
		for severity in [0, 4] {
			assert_noop!(
				Registry::report_offence(
					RuntimeOrigin::root(),
					id,
					Offence::SlaBreach { severity }
				),
				Error::<Test>::InvalidSeverity
			);
		}
		let unknown = ml_key(9).public().provider_id();
		assert_noop!(
			Registry::report_offence(RuntimeOrigin::root(), unknown, Offence::InvalidProof),
			Error::<Test>::UnknownProvider
		);
		assert_ok!(Registry::deregister(RuntimeOrigin::signed(ALICE), id));
		// Past the offence-report window after the deregistration (block 1 + 40).
		run_to(41);
		assert_noop!(
			Registry::report_offence(RuntimeOrigin::root(), id, Offence::InvalidProof),
			Error::<Test>::ProviderDeregistered
		);
	});
}
