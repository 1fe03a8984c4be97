//! Random call sequences over several providers; the invariants hold after every step.

use crate::mock::*;
use aicf_primitives::{
	traits::{AttestationRecord, AttestationSink, EvidenceKind, Offence},
	ProviderId,
};
use frame_support::{traits::Hooks, weights::Weight};
use proptest::prelude::*;

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
		(p, 1u128..10_000).prop_map(|(p, a)| Op::PayLiability(p, a)),
		Just(Op::Sweep),
		(1u64..15).prop_map(Op::Advance),
	]
}

fn apply(ids: &[(ProviderId, AccountId)], op: &Op) {
	let o = |who| RuntimeOrigin::signed(who);
	// Results are ignored: failing calls must leave state consistent too.
	let _ = match *op {
		Op::Stake(i, a) => Registry::stake(o(ids[i].1), ids[i].0, a),
		Op::Unstake(i, a) => Registry::unstake(o(ids[i].1), ids[i].0, a),
		Op::Rebond(i) => Registry::rebond(o(ids[i].1), ids[i].0),
		Op::Withdraw(i) => Registry::withdraw(o(ids[i].1), ids[i].0),
		Op::Deregister(i) => Registry::deregister(o(ids[i].1), ids[i].0),
		Op::Attest(i, d) => <Registry as AttestationSink<u64>>::attestation_verified(
			&ids[i].0,
			AttestationRecord {
				hash: [i as u8; 32],
				kind: EvidenceKind::TdxDcap,
				measurement: [0; 48],
				updated_height: System::block_number(),
				version: 1,
				expires_at: System::block_number() + d,
			},
		),
		Op::Revoke(i) => <Registry as AttestationSink<u64>>::attestation_revoked(&ids[i].0),
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
			for op in &ops {
				apply(&ids, op);
				if let Err(e) = Registry::do_try_state() {
					panic!("invariant broken after {op:?}: {e:?}");
				}
			}
		});
	}
}
