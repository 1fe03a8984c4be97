//! Revocation: `revalidate` after a policy change or expiry, and `force_revoke` by governance.

use super::*;

#[test]
fn revalidate_revokes_after_a_policy_change_or_expiry_and_is_free_then() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Attestation::revalidate(RuntimeOrigin::signed(BOB), provider(1), CapabilityKind::Ai),
			Error::<Test>::NoAttestation
		);
		MockRegistry::add(provider(1), ALICE);
		MockRegistry::add(provider(2), ALICE);
		let milan = store_sev(provider(1)).workload;
		store_sev_again(provider(2));
		assert_noop!(
			Attestation::revalidate(RuntimeOrigin::signed(BOB), provider(1), CapabilityKind::Ai),
			Error::<Test>::StillValid
		);

		// Governance pins the guest's workload: still valid.
		let mut policy = NetworkPolicy::<Test>::get();
		policy.any_workload = false;
		policy.workloads = workload_rules(vec![verify::WorkloadRule::exact(&milan).unwrap()]);
		assert_ok!(Attestation::set_policy(RuntimeOrigin::root(), policy.clone()));
		assert_noop!(
			Attestation::revalidate(RuntimeOrigin::signed(BOB), provider(1), CapabilityKind::Ai),
			Error::<Test>::StillValid
		);

		// Governance now allows only the same image launched with other host data.
		let verify::Workload::SevSnp(w) = milan else { panic!("a guest") };
		policy.workloads = workload_rules(vec![verify::WorkloadRule::SevSnp {
			measurement: w.measurement,
			host_data: [0x5A; 32],
		}]);
		assert_noop!(
			Attestation::set_policy(RuntimeOrigin::signed(ALICE), policy.clone()),
			DispatchError::BadOrigin
		);
		assert_ok!(Attestation::set_policy(RuntimeOrigin::root(), policy));
		assert_eq!(events().last(), Some(&Event::PolicySet));
		let info =
			Attestation::revalidate(RuntimeOrigin::signed(BOB), provider(1), CapabilityKind::Ai)
				.unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		assert!(MockRegistry::attestation(&provider(1)).is_none());
		assert!(Attestations::<Test>::get(provider(1), CapabilityKind::Ai).is_none());
		assert_last_revoked(provider(1), CapabilityKind::Ai, RevocationReason::PolicyChanged);

		// Back to a policy admitting any workload; provider 2's attestation lapses with time.
		assert_ok!(Attestation::set_policy(
			RuntimeOrigin::root(),
			AttestationPolicy { any_workload: true, ..Default::default() }
		));
		System::set_block_number(1 + MaxValidityBlocks::get());
		assert_ok!(Attestation::revalidate(
			RuntimeOrigin::signed(BOB),
			provider(2),
			CapabilityKind::Ai
		));
		assert_last_revoked(provider(2), CapabilityKind::Ai, RevocationReason::Expired);
	});
}

#[test]
fn governance_revokes_attestations() {
	new_test_ext().execute_with(|| {
		MockRegistry::add(provider(1), ALICE);
		assert_noop!(
			Attestation::force_revoke(RuntimeOrigin::root(), provider(1), CapabilityKind::Ai),
			Error::<Test>::NoAttestation
		);
		store_sev(provider(1));
		assert_noop!(
			Attestation::force_revoke(
				RuntimeOrigin::signed(ALICE),
				provider(1),
				CapabilityKind::Ai
			),
			DispatchError::BadOrigin
		);
		assert_ok!(Attestation::force_revoke(
			RuntimeOrigin::root(),
			provider(1),
			CapabilityKind::Ai
		));
		assert!(MockRegistry::attestation(&provider(1)).is_none());
	});
}

#[test]
fn revalidate_removes_an_attestation_bound_to_a_rotated_out_key() {
	new_test_ext().execute_with(|| {
		MockRegistry::add(provider(1), ALICE);
		store_sev(provider(1));
		assert_eq!(
			Attestations::<Test>::get(provider(1), CapabilityKind::Ai).unwrap().key_hash,
			MockRegistry::key_hash(&provider(1))
		);
		assert_noop!(
			Attestation::revalidate(RuntimeOrigin::signed(BOB), provider(1), CapabilityKind::Ai),
			Error::<Test>::StillValid
		);
		MockRegistry::rotate(provider(1), [0xEE; 32]);
		let info =
			Attestation::revalidate(RuntimeOrigin::signed(BOB), provider(1), CapabilityKind::Ai)
				.unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		assert!(Attestations::<Test>::get(provider(1), CapabilityKind::Ai).is_none());
		assert_last_revoked(provider(1), CapabilityKind::Ai, RevocationReason::KeyRotated);
	});
}
