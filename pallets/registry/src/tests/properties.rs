//! Random call sequences over several providers; the invariants hold after every step.

use crate::mock::*;
use aicf_primitives::{
	traits::{
		AttestationSink, CapabilityRequirement, JobRequirements, LeaseOutcome, Offence,
		ProviderEligibility, ProviderLeases, ProviderPayouts,
	},
	ProviderId,
};
use frame_support::traits::fungible::Mutate;
use frame_support::{traits::Hooks, weights::Weight};
use proptest::prelude::*;
use sp_runtime::Permill;

#[derive(Clone, Debug)]
enum Op {
	Stake(usize, u128),
	Unstake(usize, u128),
	Rebond(usize),
	Withdraw(usize),
	Deregister(usize),
	Attest(usize, u64),
	Revoke(usize),
	Heartbeat(usize, u16),
	Offence(usize, u8),
	ReportUnresponsive(usize),
	Unjail(usize),
	PayLiability(usize, u128),
	Sweep,
	Advance(u64),
	Acquire(usize),
	Release(usize),
	Credit(usize, u64, u128),
	Claim(usize, u64),
	UpdateModels(usize, bool),
	UpdateRegion(usize, bool),
	ForceJail(usize, u64),
	ForceDeregister(usize),
}

fn op() -> impl Strategy<Value = Op> {
	let p = 0usize..3;
	prop_oneof![
		(p.clone(), 1u128..3_000).prop_map(|(p, a)| Op::Stake(p, a)),
		(p.clone(), 1u128..3_000).prop_map(|(p, a)| Op::Unstake(p, a)),
		p.clone().prop_map(Op::Rebond),
		p.clone().prop_map(Op::Withdraw),
		p.clone().prop_map(Op::Deregister),
		(p.clone(), 1u64..50).prop_map(|(p, d)| Op::Attest(p, d)),
		p.clone().prop_map(Op::Revoke),
		(p.clone(), 0u16..=10_000).prop_map(|(p, a)| Op::Heartbeat(p, a)),
		(p.clone(), 0u8..5).prop_map(|(p, o)| Op::Offence(p, o)),
		p.clone().prop_map(Op::ReportUnresponsive),
		p.clone().prop_map(Op::Unjail),
		(p.clone(), 1u128..10_000).prop_map(|(p, a)| Op::PayLiability(p, a)),
		Just(Op::Sweep),
		(1u64..15).prop_map(Op::Advance),
		p.clone().prop_map(Op::Acquire),
		p.clone().prop_map(Op::Release),
		(p.clone(), 0u64..3, 1u128..400).prop_map(|(p, e, a)| Op::Credit(p, e, a)),
		(p.clone(), 0u64..3).prop_map(|(p, e)| Op::Claim(p, e)),
		(p.clone(), any::<bool>()).prop_map(|(p, m)| Op::UpdateModels(p, m)),
		(p.clone(), any::<bool>()).prop_map(|(p, e)| Op::UpdateRegion(p, e)),
		(p.clone(), 0u64..30).prop_map(|(p, d)| Op::ForceJail(p, d)),
		p.prop_map(Op::ForceDeregister),
	]
}

fn apply(ids: &[(ProviderId, AccountId)], op: &Op) {
	let o = |who| RuntimeOrigin::signed(who);
	// Results are ignored: failing calls must leave state consistent too.
	let _ = match *op {
		Op::Stake(i, a) => Registry::stake(o(ids[i].1), ids[i].0, a),
		Op::Unstake(i, a) => Registry::unstake(o(ids[i].1), ids[i].0, a),
		Op::Rebond(i) => Registry::rebond(o(ids[i].1), ids[i].0),
		Op::Withdraw(i) => {
			Registry::withdraw(o(ids[i].1), ids[i].0).map(|_| ()).map_err(|e| e.error)
		},
		Op::Deregister(i) => Registry::deregister(o(ids[i].1), ids[i].0),
		Op::Attest(i, d) => attest_all(ids[i].0, System::block_number() + d, i as u8),
		Op::Revoke(i) => <Registry as AttestationSink<u64>>::attestation_revoked(
			&ids[i].0,
			aicf_primitives::CapabilityKind::Ai,
		),
		Op::Heartbeat(i, availability) => {
			let counter =
				crate::Providers::<Test>::get(ids[i].0).map_or(0, |r| r.heartbeat.counter) + 1;
			let mut hb = super::heartbeat::heartbeat(ids[i].0, counter);
			hb.report.availability_bps = availability;
			let sig = super::heartbeat::sign(&ml_key(i as u8 + 1), &hb);
			Registry::heartbeat(RuntimeOrigin::none(), hb, sig).map(|_| ()).map_err(|e| e.error)
		},
		Op::Offence(i, kind) => {
			let offence = match kind {
				0 => Offence::InvalidProof,
				1 => Offence::LeaseAbandoned,
				s => Offence::SlaBreach { severity: s - 1 },
			};
			Registry::report_offence(RuntimeOrigin::root(), ids[i].0, offence)
		},
		Op::ReportUnresponsive(i) => {
			Registry::report_unresponsive(o(BOB), ids[i].0).map(|_| ()).map_err(|e| e.error)
		},
		Op::Unjail(i) => Registry::unjail(o(ids[i].1), ids[i].0),
		Op::PayLiability(i, a) => Registry::pay_liability(o(ids[i].1), ids[i].0, a),
		Op::Sweep => {
			Registry::on_idle(System::block_number(), Weight::MAX);
			Ok(())
		},
		Op::Advance(d) => {
			run_to(System::block_number() + d);
			Ok(())
		},
		Op::Acquire(i) => <Registry as ProviderLeases>::acquire_lease(&ids[i].0),
		Op::Release(i) => {
			<Registry as ProviderLeases>::release_lease(&ids[i].0, LeaseOutcome::Abandoned)
		},
		Op::Credit(i, e, a) => <Registry as ProviderPayouts<Balance>>::credit(&ids[i].0, e, a),
		Op::Claim(i, e) => Registry::claim_payout(o(OPS), ids[i].0, e),
		Op::ForceJail(i, d) => Registry::force_jail(
			RuntimeOrigin::root(),
			ids[i].0,
			d,
			crate::GovernanceReason::truncate_from(b"prop".to_vec()),
		),
		Op::ForceDeregister(i) => Registry::force_deregister(
			RuntimeOrigin::root(),
			ids[i].0,
			crate::GovernanceReason::truncate_from(b"prop".to_vec()),
		),
		Op::UpdateModels(i, mixtral) => {
			let mut caps = crate::Providers::<Test>::get(ids[i].0).unwrap().capabilities;
			let models =
				if mixtral { vec!["llama3-8b", "mixtral-8x7b"] } else { vec!["llama3-8b"] };
			caps.ai = ai_caps(&models).ai;
			let sig = sign_update(&ml_key(i as u8 + 1), ids[i].0, |p| {
				p.capabilities = Some(caps.clone())
			});
			Registry::update_capabilities(o(ids[i].1), ids[i].0, caps, sig)
		},
		Op::UpdateRegion(i, east) => {
			let r = region(if east { "eu-west-1" } else { "us-west-2" });
			let sig = sign_update(&ml_key(i as u8 + 1), ids[i].0, |p| p.region = Some(r.to_vec()));
			Registry::update_region(o(ids[i].1), ids[i].0, r, sig)
		},
	};
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

	#[test]
	fn invariants_hold_after_every_step_of_random_call_sequences(ops in prop::collection::vec(op(), 1..40)) {
		ExtBuilder::build_and_execute(|| {
			let ids = [
				(register(&ml_key(1), ALICE), ALICE),
				(register_with(&ml_key(2), ALICE, dual_caps()), ALICE),
				(register(&ml_key(3), BOB), BOB),
			];
			Balances::set_balance(&Registry::pot_account(), 1_000);
			let job = JobRequirements {
				capability: CapabilityRequirement::Ai { model: name("llama3-8b") },
				regions: vec![],
				min_health: Permill::zero(),
				min_stake: 0,
				max_rtt_ms: None,
			};
			for op in &ops {
				apply(&ids, op);
				if let Err(e) = Registry::do_try_state() {
					panic!("invariant broken after {op:?}: {e:?}");
				}
				// Every candidate passes `check` at this block.
				let (found, _) = <Registry as ProviderEligibility<Balance>>::candidates(&job, 10, None);
				for id in found {
					assert_eq!(<Registry as ProviderEligibility<Balance>>::check(&id, &job), Ok(()), "after {op:?}");
				}
			}
		});
	}
}
