//! Eligibility index, `check` and `candidates`, the region policy, leases and payouts.

use super::heartbeat::{active, attest, heartbeat, send};
use crate::{
	mock::*, EligibleIndex, Error, Event, IndexKey, Ledgers, NetworkRegionPolicy, Payouts,
	PendingPayoutTotal, Providers, StatusReason,
};
use aicf_primitives::{
	traits::{
		AttestationSink, CapabilityRequirement, Ineligible, JobRequirements, LeaseOutcome, Offence,
		ProviderEligibility, ProviderLeases, ProviderPayouts, ProviderPenalties,
	},
	ProviderId, ProviderStatus,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Mutate, Hooks},
	weights::Weight,
};
use sp_runtime::{DispatchError, Permill};

pub(super) fn ai_job(model: &str) -> JobRequirements<Balance> {
	JobRequirements {
		capability: CapabilityRequirement::Ai { model: name(model) },
		regions: vec![],
		min_health: Permill::zero(),
		min_stake: 0,
		max_rtt_ms: None,
	}
}

fn quantum_job(family: &str, min_depth: u32, min_width: u32) -> JobRequirements<Balance> {
	JobRequirements {
		capability: CapabilityRequirement::Quantum {
			trap_family: name(family),
			min_depth,
			min_width,
		},
		regions: vec![],
		min_health: Permill::zero(),
		min_stake: 0,
		max_rtt_ms: None,
	}
}

fn indexed(model: &str, id: ProviderId) -> bool {
	EligibleIndex::<Test>::contains_key(IndexKey::Ai(name(model)), id)
}

/// `n` ACTIVE AI providers (llama3-8b), each with its own funded controller.
fn many_active(n: u8) -> Vec<ProviderId> {
	(0..n)
		.map(|i| {
			let who = 100 + u64::from(i);
			Balances::set_balance(&who, ENDOWMENT);
			active(&ml_key(30 + i), who)
		})
		.collect()
}

fn fund_pot(amount: Balance) {
	Balances::set_balance(&Registry::pot_account(), amount);
}

#[test]
fn active_providers_are_indexed_under_each_model_and_trap_family() {
	ExtBuilder::build_and_execute(|| {
		let id = register_with(&ml_key(1), ALICE, dual_caps());
		assert!(!indexed("llama3-8b", id), "REGISTERED providers are not indexed");
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, MIN_STAKE_QUANTUM));
		attest(id);
		assert_ok!(send(&ml_key(1), heartbeat(id, 1)));
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Active);
		assert!(indexed("llama3-8b", id));
		assert!(EligibleIndex::<Test>::contains_key(IndexKey::Quantum(name("clifford")), id));
		assert_eq!(EligibleIndex::<Test>::iter().count(), 2);

		// Leaving ACTIVE (unstake) removes every entry.
		assert_ok!(Registry::unstake(RuntimeOrigin::signed(ALICE), id, 1));
		assert_eq!(EligibleIndex::<Test>::iter().count(), 0);
		assert_ok!(Registry::rebond(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(EligibleIndex::<Test>::iter().count(), 2);
	});
}

#[test]
fn capability_updates_move_index_entries() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = active(&key, ALICE);
		assert!(indexed("llama3-8b", id));
		let caps = ai_caps(&["mixtral-8x7b"]);
		let sig = sign_update(&key, id, |p| p.capabilities = Some(caps.clone()));
		assert_ok!(Registry::update_capabilities(RuntimeOrigin::signed(ALICE), id, caps, sig));
		assert!(!indexed("llama3-8b", id));
		assert!(indexed("mixtral-8x7b", id));
	});
}

#[test]
fn jailing_and_revocation_remove_index_entries() {
	ExtBuilder::build_and_execute(|| {
		let id = active(&ml_key(1), ALICE);
		assert_ok!(<Registry as ProviderPenalties>::report_offence(
			&id,
			Offence::SlaBreach { severity: 3 }
		));
		assert!(!indexed("llama3-8b", id));

		let other = active(&ml_key(2), BOB);
		assert_ok!(<Registry as AttestationSink<u64>>::attestation_revoked(
			&other,
			aicf_primitives::CapabilityKind::Ai
		));
		assert!(!indexed("llama3-8b", other));
	});
}

#[test]
fn sweep_stores_expired_attestations_and_leaves_silence_to_the_jail() {
	ExtBuilder::build_and_execute(|| {
		use aicf_primitives::traits::{AttestationRecord, EvidenceKind};
		let silent = active(&ml_key(1), ALICE);
		// Silent past its first deadline: ineligible at once, but still stored (and indexed)
		// ACTIVE after the sweep — it is jailed if the silence goes on.
		run_to(missing_from(1, 1));
		assert_eq!(
			<Registry as ProviderEligibility<Balance>>::check(&silent, &ai_job("llama3-8b")),
			Err(Ineligible::NotActive)
		);
		Registry::on_idle(System::block_number(), Weight::MAX);
		assert_eq!(Providers::<Test>::get(silent).unwrap().status, ProviderStatus::Active);
		assert!(indexed("llama3-8b", silent));
		assert!(<Registry as ProviderEligibility<Balance>>::candidates(
			&ai_job("llama3-8b"),
			10,
			None
		)
		.0
		.is_empty());

		// An attestation that expires is stored at once: REGISTERED, out of the index.
		let expiring = active(&ml_key(2), BOB);
		let now = System::block_number();
		assert_ok!(<Registry as AttestationSink<u64>>::attestation_verified(
			&expiring,
			AttestationRecord {
				evidence_hash: [8; 32],
				kind: EvidenceKind::SgxDcap,
				measurement: [0; 48],
				updated_height: now,
				version: 2,
				expires_at: now + 2,
				not_after: u64::MAX,
				trap_families: Default::default(),
			},
		));
		run_to(now + 2);
		Registry::on_idle(System::block_number(), Weight::MAX);
		let record = Providers::<Test>::get(expiring).unwrap();
		assert_eq!(record.status, ProviderStatus::Registered);
		assert!(record.jailed_until.is_none());
		assert!(!indexed("llama3-8b", expiring));
		assert!(registry_events().contains(&Event::StatusChanged {
			provider: expiring,
			from: ProviderStatus::Active,
			to: ProviderStatus::Registered,
			reason: StatusReason::Lapsed,
		}));
	});
}

/// An attestation also stops counting at its evidence's last valid second of chain time,
/// however far its `expires_at` block is: slow blocks cannot stretch a certificate.
#[test]
fn an_attestation_lapses_at_its_end_of_validity_in_chain_time_before_its_block() {
	ExtBuilder::build_and_execute(|| {
		use aicf_primitives::traits::{AttestationRecord, EvidenceKind};
		let p = active(&ml_key(3), BOB);
		let now = System::block_number();
		let not_after = Now::get() + 60;
		assert_ok!(<Registry as AttestationSink<u64>>::attestation_verified(
			&p,
			AttestationRecord {
				evidence_hash: [9; 32],
				kind: EvidenceKind::SgxDcap,
				measurement: [0; 48],
				updated_height: now,
				version: 2,
				expires_at: now + 1_000_000,
				not_after,
				trap_families: Default::default(),
			},
		));
		assert_eq!(Providers::<Test>::get(p).unwrap().status, ProviderStatus::Active);
		// Its last valid second still counts, at the same block.
		Now::set(not_after);
		let record = Providers::<Test>::get(p).unwrap();
		assert_eq!(Registry::effective_status(&p, &record, now), ProviderStatus::Active);
		assert!(<Registry as ProviderEligibility<Balance>>::check(&p, &ai_job("llama3-8b")).is_ok());
		// One second later, still at the same block: no longer eligible, and the sweep stores
		// the lapse.
		Now::set(not_after + 1);
		assert_eq!(Registry::effective_status(&p, &record, now), ProviderStatus::Registered);
		assert_eq!(
			<Registry as ProviderEligibility<Balance>>::check(&p, &ai_job("llama3-8b")),
			Err(Ineligible::AttestationStale)
		);
		Registry::on_idle(System::block_number(), Weight::MAX);
		let record = Providers::<Test>::get(p).unwrap();
		assert_eq!(record.status, ProviderStatus::Registered);
		assert!(!indexed("llama3-8b", p));
	});
}

#[test]
fn views_and_status_filters_show_the_status_at_the_queried_block() {
	ExtBuilder::build_and_execute(|| {
		use crate::api::ProviderFilter;
		let lapsed = active(&ml_key(1), ALICE);
		let listed = |status| {
			let filter = ProviderFilter { status: Some(status), ..Default::default() };
			let mut ids: Vec<_> = Registry::list_providers(&filter, None, 100)
				.providers
				.iter()
				.map(|p| p.id)
				.collect();
			ids.sort();
			ids
		};
		assert_eq!(listed(ProviderStatus::Active), vec![lapsed]);
		// Silent past its first deadline; nothing touched the record.
		run_to(missing_from(1, 1));
		let fresh = active(&ml_key(2), BOB);
		assert_eq!(Providers::<Test>::get(lapsed).unwrap().status, ProviderStatus::Active);
		let info = Registry::provider_info(&lapsed).unwrap();
		assert_eq!(info.status, ProviderStatus::Registered);
		assert_eq!(info.stored_status, ProviderStatus::Active);
		let info = Registry::provider_info(&fresh).unwrap();
		assert_eq!(
			(info.status, info.stored_status),
			(ProviderStatus::Active, ProviderStatus::Active)
		);
		// The filter matches the status now: the lapsed provider is listed as REGISTERED (from
		// the stored-ACTIVE entries) and not as ACTIVE.
		assert_eq!(listed(ProviderStatus::Active), vec![fresh]);
		let plain = register(&ml_key(3), ALICE);
		let mut want = vec![lapsed, plain];
		want.sort();
		assert_eq!(listed(ProviderStatus::Registered), want);
		// Paging one at a time walks both parts without repeats or gaps.
		let filter =
			ProviderFilter { status: Some(ProviderStatus::Registered), ..Default::default() };
		let (mut seen, mut cursor) = (vec![], None);
		loop {
			let page = Registry::list_providers(&filter, cursor, 1);
			seen.extend(page.providers.iter().map(|p| p.id));
			cursor = page.next_cursor;
			if cursor.is_none() {
				break;
			}
		}
		seen.sort();
		assert_eq!(seen, want);
	});
}

#[test]
fn check_returns_the_first_failing_reason() {
	ExtBuilder::build_and_execute(|| {
		type E = Registry;
		let check = |id: &ProviderId, req: &JobRequirements<Balance>| {
			<E as ProviderEligibility<Balance>>::check(id, req)
		};
		let unknown = ml_key(9).public().provider_id();
		assert_eq!(check(&unknown, &ai_job("llama3-8b")), Err(Ineligible::UnknownProvider));

		let registered = register(&ml_key(1), ALICE);
		assert_eq!(check(&registered, &ai_job("llama3-8b")), Err(Ineligible::NotActive));
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), registered, MIN_STAKE_AI));
		assert_eq!(check(&registered, &ai_job("llama3-8b")), Err(Ineligible::AttestationStale));
		attest(registered);
		// Staked and attested, but no heartbeat yet.
		assert_eq!(check(&registered, &ai_job("llama3-8b")), Err(Ineligible::NotActive));

		let key = ml_key(2);
		let id = register_with(&key, BOB, dual_caps());
		assert_ok!(Registry::stake(RuntimeOrigin::signed(BOB), id, MIN_STAKE_QUANTUM));
		attest(id);
		assert_ok!(send(&key, heartbeat(id, 1)));
		assert_eq!(check(&id, &ai_job("llama3-8b")), Ok(()));
		assert_eq!(check(&id, &ai_job("mixtral-8x7b")), Err(Ineligible::CapabilityMissing));
		assert_eq!(check(&id, &quantum_job("clifford", 64, 20)), Ok(()));
		assert_eq!(
			check(&id, &quantum_job("clifford", 65, 20)),
			Err(Ineligible::CapabilityMissing)
		);
		assert_eq!(
			check(&id, &quantum_job("clifford", 64, 21)),
			Err(Ineligible::CapabilityMissing)
		);
		assert_eq!(check(&id, &quantum_job("t-depth", 1, 1)), Err(Ineligible::CapabilityMissing));

		let mut job = ai_job("llama3-8b");
		job.regions = vec![region("eu-central-1")];
		assert_eq!(check(&id, &job), Err(Ineligible::RegionDenied));
		job.regions.push(region("us-west-2"));
		assert_eq!(check(&id, &job), Ok(()));

		let mut job = ai_job("llama3-8b");
		job.min_stake = MIN_STAKE_QUANTUM + 1;
		assert_eq!(check(&id, &job), Err(Ineligible::StakeTooLow));

		let mut job = ai_job("llama3-8b");
		job.min_health = Permill::from_percent(100);
		assert_eq!(check(&id, &job), Err(Ineligible::Unhealthy));

		for _ in 0..8 {
			assert_ok!(<Registry as ProviderLeases>::acquire_lease(&id));
		}
		assert_eq!(check(&id, &ai_job("llama3-8b")), Err(Ineligible::QuotaFull));
		for _ in 0..8 {
			assert_ok!(<Registry as ProviderLeases>::release_lease(&id, LeaseOutcome::Completed));
		}

		// Jailed.
		assert_ok!(Registry::report_offence(
			RuntimeOrigin::root(),
			id,
			Offence::SlaBreach { severity: 3 }
		));
		assert_eq!(check(&id, &ai_job("llama3-8b")), Err(Ineligible::Jailed));
	});
}

#[test]
fn check_reports_unhealthy_when_health_decayed_below_the_threshold() {
	ExtBuilder::build_and_execute(|| {
		let id = active(&ml_key(1), ALICE);
		// Stored ACTIVE goes stale with time: with 80 % per missed interval, four missed
		// intervals take health from 99.9 % to about 41 %, below the 50 % threshold. Nothing
		// touched the record, so it is not jailed yet; `check` judges it at this block.
		run_to(missing_from(1, 4));
		assert_eq!(Providers::<Test>::get(id).unwrap().status, ProviderStatus::Active);
		assert_eq!(
			<Registry as ProviderEligibility<Balance>>::check(&id, &ai_job("llama3-8b")),
			Err(Ineligible::Unhealthy)
		);
	});
}

#[test]
fn network_region_policy_applies_to_check_and_is_set_by_governance() {
	ExtBuilder::build_and_execute(|| {
		let id = active(&ml_key(1), ALICE);
		let job = ai_job("llama3-8b");
		let list = |r: &[&str]| r.iter().map(|s| region(s)).collect::<Vec<_>>().try_into().unwrap();

		assert_noop!(
			Registry::set_region_policy(
				RuntimeOrigin::signed(ALICE),
				list(&[]),
				list(&["us-west-2"])
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::set_region_policy(RuntimeOrigin::root(), list(&["US-WEST"]), list(&[])),
			Error::<Test>::InvalidRegion
		);
		assert_noop!(
			Registry::set_region_policy(RuntimeOrigin::root(), list(&[]), list(&[""])),
			Error::<Test>::InvalidRegion
		);

		assert_ok!(Registry::set_region_policy(
			RuntimeOrigin::root(),
			list(&[]),
			list(&["us-west-2"])
		));
		assert_eq!(NetworkRegionPolicy::<Test>::get().denied.len(), 1);
		assert_eq!(
			<Registry as ProviderEligibility<Balance>>::check(&id, &job),
			Err(Ineligible::RegionDenied)
		);
		assert_eq!(
			<Registry as ProviderEligibility<Balance>>::candidates(&job, 10, None).0,
			vec![]
		);

		assert_ok!(Registry::set_region_policy(
			RuntimeOrigin::root(),
			list(&["eu-central-1"]),
			list(&[])
		));
		assert_eq!(
			<Registry as ProviderEligibility<Balance>>::check(&id, &job),
			Err(Ineligible::RegionDenied)
		);
		assert_ok!(Registry::set_region_policy(
			RuntimeOrigin::root(),
			list(&["eu-central-1", "us-west-2"]),
			list(&[])
		));
		assert_eq!(<Registry as ProviderEligibility<Balance>>::check(&id, &job), Ok(()));
		assert!(matches!(
			registry_events().last(),
			Some(Event::RegionPolicySet { allowed, denied }) if allowed.len() == 2 && denied.is_empty()
		));
	});
}

#[test]
fn candidates_walk_the_index_in_id_order_with_a_cursor() {
	ExtBuilder::build_and_execute(|| {
		let mut ids = many_active(7);
		ids.sort();
		let job = ai_job("llama3-8b");
		let page = |limit, cursor| {
			<Registry as ProviderEligibility<Balance>>::candidates(&job, limit, cursor)
		};

		let (first, cursor) = page(3, None);
		assert_eq!(first, ids[0..3].to_vec());
		assert_eq!(cursor, Some(ids[2]));
		let (second, cursor) = page(3, cursor);
		assert_eq!(second, ids[3..6].to_vec());
		let (third, cursor) = page(3, cursor);
		assert_eq!(third, ids[6..7].to_vec());
		assert_eq!(cursor, None);

		assert_eq!(page(10, None), (ids.clone(), None));
		// A page that fills exactly at the end of the index still returns a cursor (the walk
		// does not read past its budget to find out); the page after it is empty and final.
		assert_eq!(page(7, None), (ids.clone(), Some(ids[6])));
		assert_eq!(page(7, Some(ids[6])), (vec![], None));
		assert_eq!(
			<Registry as ProviderEligibility<Balance>>::candidates(&ai_job("other"), 10, None),
			(vec![], None)
		);
	});
}

#[test]
fn candidates_skip_ineligible_entries_within_a_bounded_budget() {
	ExtBuilder::build_and_execute(|| {
		let mut ids = many_active(7);
		ids.sort();
		// Fill the quota of the first five: they stay indexed (still ACTIVE) but are skipped.
		for id in &ids[0..5] {
			for _ in 0..8 {
				assert_ok!(<Registry as ProviderLeases>::acquire_lease(id));
			}
		}
		let job = ai_job("llama3-8b");
		// limit 1 + MaxCandidateSkips 4 = at most 5 entries read: all five full, none found.
		let (found, cursor) = <Registry as ProviderEligibility<Balance>>::candidates(&job, 1, None);
		assert_eq!(found, vec![]);
		assert_eq!(cursor, Some(ids[4]));
		let (found, cursor) =
			<Registry as ProviderEligibility<Balance>>::candidates(&job, 1, cursor);
		assert_eq!(found, vec![ids[5]]);
		assert_eq!(cursor, Some(ids[5]));
	});
}

#[test]
fn leases_are_bounded_by_the_quota_and_block_deregistration() {
	ExtBuilder::build_and_execute(|| {
		let id = active(&ml_key(1), ALICE);
		let record = Providers::<Test>::get(id).unwrap();
		assert_eq!(Registry::max_concurrent(&record), 8);
		for n in 1..=8 {
			assert_ok!(<Registry as ProviderLeases>::acquire_lease(&id));
			assert_eq!(
				registry_events().last(),
				Some(&Event::LeaseAcquired { provider: id, in_use: n })
			);
		}
		assert_noop!(
			<Registry as ProviderLeases>::acquire_lease(&id),
			Error::<Test>::LeaseQuotaFull
		);

		// With leases open, the provider can neither take its stake out nor leave.
		assert_ok!(Registry::unstake(RuntimeOrigin::signed(ALICE), id, MIN_STAKE_AI));
		run_to(1 + STAKE_LOCK + UNBONDING + 1);
		assert_noop!(
			Registry::withdraw(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::OpenLeases
		);
		assert_noop!(
			Registry::deregister(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::OpenLeases
		);
		for n in (0..8).rev() {
			assert_ok!(<Registry as ProviderLeases>::release_lease(&id, LeaseOutcome::Completed));
			assert_eq!(
				registry_events().last(),
				Some(&Event::LeaseReleased { provider: id, in_use: n })
			);
		}
		assert_noop!(
			<Registry as ProviderLeases>::release_lease(&id, LeaseOutcome::Completed),
			Error::<Test>::NoOpenLease
		);
		// The offence-report window after the last lease: funds stay held.
		let released_at = System::block_number();
		assert_eq!(Providers::<Test>::get(id).unwrap().cooldown_until, released_at + 40);
		run_to(released_at + 39);
		assert_noop!(
			Registry::withdraw(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::InCooldown
		);
		run_to(released_at + 40);
		assert_ok!(Registry::withdraw(RuntimeOrigin::signed(ALICE), id));
		assert_ok!(Registry::deregister(RuntimeOrigin::signed(ALICE), id));
	});
}

#[test]
fn leases_need_a_known_active_provider() {
	ExtBuilder::build_and_execute(|| {
		let unknown = ml_key(9).public().provider_id();
		assert_noop!(
			<Registry as ProviderLeases>::acquire_lease(&unknown),
			Error::<Test>::UnknownProvider
		);
		assert_noop!(
			<Registry as ProviderLeases>::release_lease(&unknown, LeaseOutcome::Completed),
			Error::<Test>::UnknownProvider
		);
		let id = register(&ml_key(1), ALICE);
		assert_noop!(
			<Registry as ProviderLeases>::acquire_lease(&id),
			Error::<Test>::ProviderNotActive
		);
	});
}

#[test]
fn credits_need_a_funded_pot_and_add_up_per_epoch() {
	ExtBuilder::build_and_execute(|| {
		let id = register(&ml_key(1), ALICE);
		let unknown = ml_key(9).public().provider_id();
		assert_noop!(
			<Registry as ProviderPayouts<Balance>>::credit(&id, 1, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			<Registry as ProviderPayouts<Balance>>::credit(&unknown, 1, 10),
			Error::<Test>::UnknownProvider
		);
		// The pot keeps its existential deposit (1): 100 covers 99.
		fund_pot(100);
		assert_noop!(
			<Registry as ProviderPayouts<Balance>>::credit(&id, 1, 100),
			Error::<Test>::PotUnderfunded
		);
		assert_ok!(<Registry as ProviderPayouts<Balance>>::credit(&id, 1, 60));
		assert_ok!(<Registry as ProviderPayouts<Balance>>::credit(&id, 1, 30));
		assert_eq!(Payouts::<Test>::get(id, 1).unwrap().amount, 90);
		assert_eq!(PendingPayoutTotal::<Test>::get(), 90);
		assert_noop!(
			<Registry as ProviderPayouts<Balance>>::credit(&id, 2, 10),
			Error::<Test>::PotUnderfunded
		);
		assert_ok!(<Registry as ProviderPayouts<Balance>>::credit(&id, 2, 9));
		assert!(registry_events().contains(&Event::PayoutCredited {
			provider: id,
			epoch: 2,
			amount: 9
		}));
	});
}

#[test]
fn claim_payout_pays_the_controller_once() {
	ExtBuilder::build_and_execute(|| {
		let id = register(&ml_key(1), ALICE);
		fund_pot(1_001);
		assert_ok!(<Registry as ProviderPayouts<Balance>>::credit(&id, 7, 1_000));
		let before = Balances::free_balance(ALICE);

		assert_noop!(
			Registry::claim_payout(RuntimeOrigin::signed(ALICE), id, 7),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::claim_payout(RuntimeOrigin::root(), id, 7),
			DispatchError::BadOrigin
		);
		let unknown = ml_key(9).public().provider_id();
		assert_noop!(
			Registry::claim_payout(RuntimeOrigin::signed(OPS), unknown, 7),
			Error::<Test>::UnknownProvider
		);
		assert_noop!(
			Registry::claim_payout(RuntimeOrigin::signed(OPS), id, 8),
			Error::<Test>::UnknownPayout
		);

		assert_ok!(Registry::claim_payout(RuntimeOrigin::signed(OPS), id, 7));
		assert_eq!(Balances::free_balance(ALICE), before + 1_000);
		assert_eq!(Balances::free_balance(Registry::pot_account()), 1);
		assert_eq!(PendingPayoutTotal::<Test>::get(), 0);
		assert_eq!(Payouts::<Test>::get(id, 7).unwrap().claimed_at, Some(1));
		assert_eq!(
			registry_events().last(),
			Some(&Event::PayoutClaimed {
				provider: id,
				epoch: 7,
				amount: 1_000,
				controller: ALICE
			})
		);

		assert_noop!(
			Registry::claim_payout(RuntimeOrigin::signed(OPS), id, 7),
			Error::<Test>::PayoutAlreadyClaimed
		);
		fund_pot(1_001);
		assert_noop!(
			<Registry as ProviderPayouts<Balance>>::credit(&id, 7, 5),
			Error::<Test>::PayoutAlreadyClaimed
		);
	});
}

#[test]
fn claim_payout_is_refused_while_liabilities_are_open() {
	ExtBuilder::build_and_execute(|| {
		let id = register(&ml_key(1), ALICE);
		// No stake: an invalid-proof offence's minimum slash becomes a liability.
		assert_ok!(Registry::report_offence(RuntimeOrigin::root(), id, Offence::InvalidProof));
		assert!(Ledgers::<Test>::get(id).unwrap().liabilities > 0);
		fund_pot(101);
		assert_ok!(<Registry as ProviderPayouts<Balance>>::credit(&id, 1, 100));
		assert_noop!(
			Registry::claim_payout(RuntimeOrigin::signed(OPS), id, 1),
			Error::<Test>::UnpaidLiabilities
		);
		assert_ok!(Registry::pay_liability(
			RuntimeOrigin::signed(ALICE),
			id,
			MIN_INVALID_PROOF_SLASH
		));
		assert_ok!(Registry::claim_payout(RuntimeOrigin::signed(OPS), id, 1));
	});
}

#[test]
fn balance_view_lists_pending_payouts_by_epoch() {
	ExtBuilder::build_and_execute(|| {
		let id = register(&ml_key(1), ALICE);
		fund_pot(1_000);
		assert_ok!(<Registry as ProviderPayouts<Balance>>::credit(&id, 3, 30));
		assert_ok!(<Registry as ProviderPayouts<Balance>>::credit(&id, 1, 10));
		assert_ok!(<Registry as ProviderPayouts<Balance>>::credit(&id, 2, 20));
		assert_ok!(Registry::claim_payout(RuntimeOrigin::signed(OPS), id, 2));
		let view = Registry::balance_info(&id).unwrap();
		assert_eq!(view.pending_payouts, vec![(1, 10), (3, 30)]);
	});
}

#[test]
fn listing_by_status_walks_the_status_index_in_id_order() {
	use crate::{api::ProviderFilter, StatusIndex};
	ExtBuilder::build_and_execute(|| {
		let mut actives = many_active(5);
		actives.sort();
		let mut registered: Vec<ProviderId> =
			(0..4).map(|i| register(&ml_key(60 + i), 200 + u64::from(i))).collect();
		registered.sort();
		assert_eq!(StatusIndex::<Test>::iter_key_prefix(ProviderStatus::Active).count(), 5);
		assert_eq!(StatusIndex::<Test>::iter_key_prefix(ProviderStatus::Registered).count(), 4);

		let by = |status, cursor, limit| {
			let filter = ProviderFilter { status: Some(status), ..Default::default() };
			let page = Registry::list_providers(&filter, cursor, limit);
			(page.providers.iter().map(|p| p.id).collect::<Vec<_>>(), page.next_cursor)
		};
		let (first, cursor) = by(ProviderStatus::Active, None, 3);
		assert_eq!(first, actives[0..3].to_vec());
		assert_eq!(cursor, Some(actives[2]));
		assert_eq!(by(ProviderStatus::Active, cursor, 3), (actives[3..5].to_vec(), None));
		assert_eq!(by(ProviderStatus::Registered, None, 100), (registered.clone(), None));
		assert_eq!(by(ProviderStatus::Jailed, None, 100), (vec![], None));

		// A status change moves the entry: deregistering a REGISTERED provider.
		let owner = Providers::<Test>::get(registered[0]).unwrap().controller;
		assert_ok!(Registry::deregister(RuntimeOrigin::signed(owner), registered[0]));
		assert_eq!(by(ProviderStatus::Registered, None, 100).0, registered[1..].to_vec());
		assert_eq!(by(ProviderStatus::Deregistered, None, 100).0, vec![registered[0]]);
		// Without a status the walk covers every record.
		let all = Registry::list_providers(&ProviderFilter::default(), None, 100);
		assert_eq!(all.providers.len(), 9);
		assert_eq!(all.next_cursor, None);
	});
}

#[test]
fn listing_by_region_or_capability_walks_the_listing_index_in_id_order() {
	use crate::{api::ProviderFilter, ListingIndex, ListingKey};
	use aicf_primitives::types::CapabilityKind;
	ExtBuilder::build_and_execute(|| {
		// Five AI providers in us-west-2 (the helper's region), two of them also quantum.
		let keys: Vec<_> = (0..5).map(|i| ml_key(70 + i)).collect();
		let mut ids: Vec<(ProviderId, u64)> = keys
			.iter()
			.enumerate()
			.map(|(i, k)| {
				let who = 300 + i as u64;
				let caps = if i < 2 { dual_caps() } else { ai_caps(&["llama3-8b"]) };
				(register_with(k, who, caps), who)
			})
			.collect();
		let quantum: Vec<ProviderId> = {
			let mut q = vec![ids[0].0, ids[1].0];
			q.sort();
			q
		};
		let region_key = |s: &str| ListingKey::Region(region(s));
		assert_eq!(ListingIndex::<Test>::iter_key_prefix(region_key("us-west-2")).count(), 5);
		assert_eq!(
			ListingIndex::<Test>::iter_key_prefix(ListingKey::Capability(
				aicf_primitives::CapabilityKind::Ai
			))
			.count(),
			5
		);

		let list = |filter: ProviderFilter, cursor, limit| {
			let page = Registry::list_providers(&filter, cursor, limit);
			(page.providers.iter().map(|p| p.id).collect::<Vec<_>>(), page.next_cursor)
		};
		let by_region = |s: &str| ProviderFilter { region: Some(region(s)), ..Default::default() };
		let by_kind = |k| ProviderFilter { capability: Some(k), ..Default::default() };

		// Quantum: only the two dual providers, in id order, paged with the cursor.
		let (first, cursor) = list(by_kind(CapabilityKind::Quantum), None, 1);
		assert_eq!((first, cursor), (vec![quantum[0]], Some(quantum[0])));
		assert_eq!(list(by_kind(CapabilityKind::Quantum), cursor, 1), (vec![quantum[1]], None));

		// A region update moves the provider's entry: ids[4] goes to eu-west-1.
		let (moved, owner) = ids.remove(4);
		let sig = sign_update(&keys[4], moved, |p| p.region = Some(b"eu-west-1".to_vec()));
		assert_ok!(Registry::update_region(
			RuntimeOrigin::signed(owner),
			moved,
			region("eu-west-1"),
			sig
		));
		assert_eq!(list(by_region("eu-west-1"), None, 100), (vec![moved], None));
		let mut west: Vec<ProviderId> = ids.iter().map(|(id, _)| *id).collect();
		west.sort();
		assert_eq!(list(by_region("us-west-2"), None, 100), (west.clone(), None));
		assert_eq!(list(by_region("ap-south-1"), None, 100), (vec![], None));

		// A capability update moves it too: ids[0] drops quantum.
		let (dropped, owner) = ids[0];
		let caps = ai_caps(&["llama3-8b"]);
		let sig = sign_update(&keys[0], dropped, |p| p.capabilities = Some(caps.clone()));
		assert_ok!(Registry::update_capabilities(RuntimeOrigin::signed(owner), dropped, caps, sig));
		assert_eq!(list(by_kind(CapabilityKind::Quantum), None, 100), (vec![ids[1].0], None));
		assert_eq!(
			ListingIndex::<Test>::iter_key_prefix(ListingKey::Capability(
				aicf_primitives::CapabilityKind::Ai
			))
			.count(),
			5
		);

		// Region and capability together: the region's walk, tested for the capability.
		let both = ProviderFilter {
			region: Some(region("us-west-2")),
			capability: Some(CapabilityKind::Quantum),
			..Default::default()
		};
		assert_eq!(list(both, None, 100), (vec![ids[1].0], None));
		// With a status: the status's walk, the region tested on each record.
		let registered_west = ProviderFilter {
			region: Some(region("us-west-2")),
			status: Some(ProviderStatus::Registered),
			..Default::default()
		};
		assert_eq!(list(registered_west, None, 100), (west, None));
	});
}

/// A heartbeat of `id` (counter `counter`) reporting `rtt` ms, `MinHeartbeatInterval` later.
fn heartbeat_with_rtt(
	key: &aicf_primitives::keys::RegistryKeypair,
	id: ProviderId,
	counter: u64,
	rtt: u32,
) {
	run_to(System::block_number() + 2);
	let mut hb = heartbeat(id, counter);
	hb.report.rtt_ms_p50 = rtt;
	assert_ok!(send(key, hb));
}

#[test]
fn the_qos_window_keeps_the_last_reports_and_the_view_shows_their_median() {
	ExtBuilder::build_and_execute(|| {
		let key = ml_key(1);
		let id = active(&key, ALICE); // first report: 40 ms
		for (counter, rtt) in [(2, 400), (3, 45), (4, 50), (5, 5_000)] {
			heartbeat_with_rtt(&key, id, counter, rtt);
		}
		// The window holds the last QOS_WINDOW_LEN (4) reports: 40 ms went first.
		let window = crate::QosWindows::<Test>::get(id).unwrap();
		let mut rtts: Vec<u32> = window.samples.iter().map(|s| s.rtt_ms_p50).collect();
		rtts.sort_unstable();
		assert_eq!(rtts, vec![45, 50, 400, 5_000]);
		// The view's RTT is their median (the lower middle), not the last report (5 000 ms).
		assert_eq!(Registry::provider_info(&id).unwrap().rtt_ms_p50, 50);
		assert_eq!(Providers::<Test>::get(id).unwrap().heartbeat.report.rtt_ms_p50, 5_000);
	});
}

#[test]
fn max_rtt_is_compared_with_the_window_median_by_check_and_candidates() {
	ExtBuilder::build_and_execute(|| {
		let (fast, slow) = (ml_key(1), ml_key(2));
		let fast_id = active(&fast, ALICE);
		let slow_id = active(&slow, BOB);
		for counter in 2..=4 {
			heartbeat_with_rtt(&fast, fast_id, counter, 30);
			heartbeat_with_rtt(&slow, slow_id, counter, 250);
		}
		// One slow report does not push the fast provider over a bound.
		heartbeat_with_rtt(&fast, fast_id, 5, 9_000);
		let job = |max| JobRequirements { max_rtt_ms: max, ..ai_job("llama3-8b") };
		let check = |id, max| <Registry as ProviderEligibility<Balance>>::check(&id, &job(max));
		assert_eq!(check(fast_id, Some(100)), Ok(()));
		assert_eq!(check(slow_id, Some(100)), Err(Ineligible::RttTooHigh));
		assert_eq!(check(slow_id, Some(250)), Ok(()));
		assert_eq!(check(slow_id, None), Ok(()));
		let candidates =
			|max| <Registry as ProviderEligibility<Balance>>::candidates(&job(max), 10, None).0;
		assert_eq!(candidates(Some(100)), vec![fast_id]);
		let mut both = vec![fast_id, slow_id];
		both.sort();
		assert_eq!(candidates(Some(250)), both);
		// Without any report there is no known RTT: no bound is met.
		crate::QosWindows::<Test>::remove(fast_id);
		assert_eq!(check(fast_id, Some(u32::MAX)), Err(Ineligible::RttTooHigh));
		assert_eq!(check(fast_id, None), Ok(()));
	});
}
