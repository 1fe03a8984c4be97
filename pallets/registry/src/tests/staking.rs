//! `stake`, `unstake`, `rebond`, `withdraw`, `deregister` and the attestation sink.

use crate::{mock::*, Error, Event, HoldReason, Ledgers, Providers, StatusReason, UnbondingChunk};
use aicf_primitives::{
	traits::{AttestationRecord, AttestationSink, EvidenceKind},
	ProviderStatus,
};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Registry(HoldReason::ProviderStake), &who)
}

fn attest(id: aicf_primitives::ProviderId, expires_at: u64) {
	assert_ok!(attest_all(id, expires_at, 9));
}

#[test]
fn stake_holds_funds_and_sets_the_lock() {
	ExtBuilder::build_and_execute(|| {
		let id = register(&ml_key(1), ALICE);
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, 600));
		run_to(5);
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, 400));
		let ledger = Ledgers::<Test>::get(id).unwrap();
		assert_eq!(ledger.bonded, 1_000);
		assert_eq!(ledger.lock_until, 5 + STAKE_LOCK, "a top-up resets the lock");
		assert_eq!(held(ALICE), 1_000);
		// Free: the endowment less the stake and the registration deposit.
		assert_eq!(Balances::free_balance(ALICE), ENDOWMENT - 1_000 - REGISTRATION_DEPOSIT);
		assert!(registry_events().contains(&Event::Staked {
			provider: id,
			amount: 400,
			bonded: 1_000,
			lock_until: 15
		}));
	});
}

#[test]
fn stake_fails_with_specific_errors() {
	ExtBuilder::build_and_execute(|| {
		let id = register(&ml_key(1), ALICE);
		assert_noop!(
			Registry::stake(RuntimeOrigin::signed(ALICE), id, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Registry::stake(RuntimeOrigin::signed(ALICE), id, ENDOWMENT),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			Registry::stake(RuntimeOrigin::signed(BOB), id, 10),
			Error::<Test>::NotController
		);
		let unknown = ml_key(7).public().provider_id();
		assert_noop!(
			Registry::stake(RuntimeOrigin::signed(ALICE), unknown, 10),
			Error::<Test>::UnknownProvider
		);
	});
}

#[test]
fn unstake_unlocks_linearly_after_the_lock() {
	ExtBuilder::build_and_execute(|| {
		let id = register(&ml_key(1), ALICE);
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, 1_000));
		// Requested at block 3 while locked until 11: unlocking runs 11 → 31.
		run_to(3);
		assert_ok!(Registry::unstake(RuntimeOrigin::signed(ALICE), id, 400));
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Unstaking);
		assert!(registry_events().contains(&Event::StatusChanged {
			provider: id,
			from: ProviderStatus::Registered,
			to: ProviderStatus::Unstaking,
			reason: StatusReason::UnstakeRequested,
		}));
		let chunk = Ledgers::<Test>::get(id).unwrap().unbonding[0];
		assert_eq!(chunk, UnbondingChunk { amount: 400, withdrawn: 0, start: 11, end: 31 });

		run_to(11);
		assert_noop!(
			Registry::withdraw(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::NothingToWithdraw
		);
		run_to(12);
		assert_eq!(Registry::withdrawable(&id), 20, "first block: 1/20");
		run_to(21);
		assert_ok!(Registry::withdraw(RuntimeOrigin::signed(ALICE), id));
		assert!(registry_events().contains(&Event::Withdrawn { provider: id, amount: 200 }));
		assert_eq!(held(ALICE), 800);
		run_to(30);
		assert_eq!(Registry::withdrawable(&id), 180, "last block before the end");
		run_to(40);
		assert_ok!(Registry::withdraw(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(held(ALICE), 600);
		assert_eq!(Balances::free_balance(ALICE), ENDOWMENT - 600 - REGISTRATION_DEPOSIT);
		let ledger = Ledgers::<Test>::get(id).unwrap();
		assert!(ledger.unbonding.is_empty());
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Registered);
	});
}

#[test]
fn unstake_fails_with_specific_errors() {
	ExtBuilder::build_and_execute(|| {
		let id = register(&ml_key(1), ALICE);
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, 100));
		assert_noop!(
			Registry::unstake(RuntimeOrigin::signed(ALICE), id, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Registry::unstake(RuntimeOrigin::signed(ALICE), id, 101),
			Error::<Test>::InsufficientBonded
		);
		for _ in 0..4 {
			assert_ok!(Registry::unstake(RuntimeOrigin::signed(ALICE), id, 1));
		}
		assert_noop!(
			Registry::unstake(RuntimeOrigin::signed(ALICE), id, 1),
			Error::<Test>::TooManyUnbondingChunks
		);
	});
}

#[test]
fn rebond_cancels_pending_unstakes() {
	ExtBuilder::build_and_execute(|| {
		let id = register(&ml_key(1), ALICE);
		assert_noop!(
			Registry::rebond(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::NothingToRebond
		);
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, 1_000));
		assert_ok!(Registry::unstake(RuntimeOrigin::signed(ALICE), id, 500));
		run_to(21); // half of the chunk (11 → 31) unlocked
		assert_ok!(Registry::withdraw(RuntimeOrigin::signed(ALICE), id));
		assert_ok!(Registry::rebond(RuntimeOrigin::signed(ALICE), id));
		let ledger = Ledgers::<Test>::get(id).unwrap();
		assert_eq!(ledger.bonded, 750);
		assert!(ledger.unbonding.is_empty());
		assert!(registry_events().contains(&Event::Rebonded { provider: id, amount: 250 }));
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Registered);
	});
}

#[test]
fn withdraw_fails_in_cooldown_and_with_liabilities() {
	ExtBuilder::build_and_execute(|| {
		let id = register(&ml_key(1), ALICE);
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, 1_000));
		assert_ok!(Registry::unstake(RuntimeOrigin::signed(ALICE), id, 1_000));
		run_to(100);
		// A slash (see the penalties subsystem) sets a cooldown and may leave a liability.
		Providers::<Test>::mutate(id, |r| r.as_mut().unwrap().cooldown_until = 101);
		assert_noop!(
			Registry::withdraw(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::InCooldown
		);
		run_to(101);
		Ledgers::<Test>::mutate(id, |l| l.as_mut().unwrap().liabilities = 5);
		assert_noop!(
			Registry::withdraw(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::UnpaidLiabilities
		);
		Ledgers::<Test>::mutate(id, |l| l.as_mut().unwrap().liabilities = 0);
		assert_ok!(Registry::withdraw(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(held(ALICE), 0);
	});
}

#[test]
fn deregister_follows_the_offboarding_process() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = register(&key, ALICE);
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, 1_000));
		assert_ok!(super::heartbeat::send(&key, super::heartbeat::heartbeat(id, 1)));
		assert!(crate::QosWindows::<Test>::contains_key(id));
		assert_noop!(
			Registry::deregister(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::FundsStillBonded
		);
		assert_ok!(Registry::unstake(RuntimeOrigin::signed(ALICE), id, 1_000));
		assert_noop!(
			Registry::deregister(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::FundsStillBonded
		);
		run_to(31);
		assert_ok!(Registry::withdraw(RuntimeOrigin::signed(ALICE), id));

		Providers::<Test>::mutate(id, |r| r.as_mut().unwrap().leases_in_use = 1);
		assert_noop!(
			Registry::deregister(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::OpenLeases
		);
		Providers::<Test>::mutate(id, |r| r.as_mut().unwrap().leases_in_use = 0);
		Ledgers::<Test>::mutate(id, |l| l.as_mut().unwrap().liabilities = 1);
		assert_noop!(
			Registry::deregister(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::UnpaidLiabilities
		);
		Ledgers::<Test>::mutate(id, |l| l.as_mut().unwrap().liabilities = 0);
		assert_noop!(
			Registry::deregister(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NotController
		);

		assert_ok!(Registry::deregister(RuntimeOrigin::signed(ALICE), id));
		let record = Providers::<Test>::get(id).expect("records are kept for audit");
		assert_eq!(record.status, ProviderStatus::Deregistered);
		assert!(!crate::QosWindows::<Test>::contains_key(id), "its QoS window goes with it");
		// So does its registration deposit.
		assert!(crate::RegistrationDeposits::<Test>::get(id).is_none());
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::RegistrationDeposit.into(), &ALICE),
			0,
			"the deposit is released"
		);
		assert!(registry_events().contains(&Event::Deregistered { provider: id }));
		assert_noop!(
			Registry::deregister(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::ProviderDeregistered
		);
		assert_noop!(
			Registry::stake(RuntimeOrigin::signed(ALICE), id, 1),
			Error::<Test>::ProviderDeregistered
		);
		// The key stays retired; the controller slot is free again.
		assert!(crate::ControllerProviders::<Test>::get(ALICE).is_empty());
	});
}

#[test]
fn provider_becomes_active_with_stake_attestation_and_heartbeat_and_leaves_on_unstake() {
	ExtBuilder::build_and_execute(|| {
		let id = register_with(&ml_key(1), ALICE, dual_caps());
		// A recent heartbeat (the heartbeat subsystem sets this field).
		Providers::<Test>::mutate(id, |r| {
			let r = r.as_mut().unwrap();
			r.last_heartbeat = Some(1);
			r.heartbeat.health = sp_runtime::Permill::one();
		});
		attest(id, 1_000);
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Registered);
		// The AI minimum is not enough for a dual provider: the quantum minimum applies.
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, MIN_STAKE_AI));
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Registered);
		assert_ok!(Registry::stake(
			RuntimeOrigin::signed(ALICE),
			id,
			MIN_STAKE_QUANTUM - MIN_STAKE_AI
		));
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Active);
		assert!(registry_events().contains(&Event::StatusChanged {
			provider: id,
			from: ProviderStatus::Registered,
			to: ProviderStatus::Active,
			reason: StatusReason::Staked,
		}));
		assert_ok!(Registry::unstake(RuntimeOrigin::signed(ALICE), id, 1));
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Unstaking);
		assert_ok!(Registry::rebond(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Active);
		// Revoking the attestation makes the provider ineligible at once.
		assert_ok!(<Registry as AttestationSink<u64>>::attestation_revoked(
			&id,
			aicf_primitives::CapabilityKind::Ai
		));
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Registered);
	});
}

#[test]
fn attestation_sink_fails_for_unknown_or_deregistered_providers() {
	ExtBuilder::build_and_execute(|| {
		let unknown = ml_key(8).public().provider_id();
		let record = AttestationRecord {
			evidence_hash: [1; 32],
			kind: EvidenceKind::SevSnp,
			measurement: [0; 48],
			updated_height: 1u64,
			version: 1,
			expires_at: 10,
			not_after: u64::MAX,
			trap_families: Default::default(),
		};
		assert_noop!(
			<Registry as AttestationSink<u64>>::attestation_verified(&unknown, record.clone()),
			Error::<Test>::UnknownProvider
		);
		let id = register(&ml_key(1), ALICE);
		assert_ok!(Registry::deregister(RuntimeOrigin::signed(ALICE), id));
		assert_noop!(
			<Registry as AttestationSink<u64>>::attestation_verified(&id, record),
			Error::<Test>::ProviderDeregistered
		);
	});
}
