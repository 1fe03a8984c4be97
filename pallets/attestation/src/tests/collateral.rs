//! DCAP collateral upload: verified against a pinned Intel root, replaced only by newer.

use super::*;

#[test]
fn collateral_is_verified_against_a_pinned_root_and_only_replaced_by_newer() {
	new_test_ext().execute_with(|| {
		Now::set(T_SGX);
		let collateral = fixture(SGX_COLLATERAL);
		assert_noop!(
			Attestation::upload_collateral(
				RuntimeOrigin::signed(ALICE),
				bounded(collateral.clone())
			),
			Error::<Test>::NoPinnedRoot
		);
		// The wrong root: an AMD ARK pinned as an Intel root.
		assert_ok!(Attestation::add_root(
			RuntimeOrigin::root(),
			RootKind::IntelSgx,
			bounded(fixture(GENOA_ARK))
		));
		assert_noop!(
			Attestation::upload_collateral(
				RuntimeOrigin::signed(ALICE),
				bounded(collateral.clone())
			),
			Error::<Test>::UntrustedChain
		);
		pin(RootKind::IntelSgx, INTEL_ROOT);
		assert_noop!(
			Attestation::upload_collateral(RuntimeOrigin::signed(ALICE), bounded(b"{}".to_vec())),
			Error::<Test>::MalformedEvidence
		);
		let mut tampered = collateral.clone();
		// A hex digit inside the TCB info signature (`"tcb_info_signature": "…"`).
		let key = "\"tcb_info_signature\": \"";
		let at = String::from_utf8_lossy(&collateral).find(key).unwrap() + key.len() + 4;
		tampered[at] = if tampered[at] == b'0' { b'1' } else { b'0' };
		assert_noop!(
			Attestation::upload_collateral(RuntimeOrigin::signed(ALICE), bounded(tampered)),
			Error::<Test>::BadEvidenceSignature
		);
		Now::set(SGX_WINDOW_START - 1);
		assert_noop!(
			Attestation::upload_collateral(
				RuntimeOrigin::signed(ALICE),
				bounded(collateral.clone())
			),
			Error::<Test>::EvidenceNotYetValid
		);
		Now::set(T_SGX + 3_600);
		assert_noop!(
			Attestation::upload_collateral(
				RuntimeOrigin::signed(ALICE),
				bounded(collateral.clone())
			),
			Error::<Test>::EvidenceExpired
		);

		Now::set(T_SGX);
		assert_ok!(Attestation::upload_collateral(
			RuntimeOrigin::signed(ALICE),
			bounded(collateral.clone())
		));
		let key = verify::dcap::quote_collateral_key(&fixture(SGX_QUOTE)).unwrap();
		let stored = DcapCollateral::<Test>::get(key).unwrap();
		assert_eq!(stored.fmspc, [0x00, 0xA0, 0x67, 0x11, 0x00, 0x00]);
		assert!(
			matches!(events().last(), Some(Event::CollateralStored { key: k, .. }) if *k == key)
		);
		assert_noop!(
			Attestation::upload_collateral(RuntimeOrigin::signed(BOB), bounded(collateral)),
			Error::<Test>::CollateralNotNewer
		);
	});
}

/// The rollback: after a TCB recovery, collateral from the earlier evaluation (whatever its
/// dates) cannot replace the stored grading, and the stored grading cannot keep out a later
/// evaluation with an older date.
#[test]
fn collateral_from_an_earlier_tcb_evaluation_never_replaces_a_later_one() {
	new_test_ext().execute_with(|| {
		Now::set(T_SGX);
		pin(RootKind::IntelSgx, INTEL_ROOT);
		let collateral = fixture(SGX_COLLATERAL);
		assert_ok!(Attestation::upload_collateral(
			RuntimeOrigin::signed(ALICE),
			bounded(collateral.clone())
		));
		let key = verify::dcap::quote_collateral_key(&fixture(SGX_QUOTE)).unwrap();
		let real = DcapCollateral::<Test>::get(key).unwrap();

		// Stored: a later evaluation than the upload's, with an older date.
		let mut later = real.clone();
		later.tcb_evaluation_data_number = real.tcb_evaluation_data_number + 1;
		later.issued_at = real.issued_at - 86_400;
		DcapCollateral::<Test>::insert(key, later.clone());
		assert_noop!(
			Attestation::upload_collateral(RuntimeOrigin::signed(BOB), bounded(collateral.clone())),
			Error::<Test>::CollateralRollback
		);
		assert_eq!(DcapCollateral::<Test>::get(key), Some(later));

		// Stored: an earlier evaluation with a later date (an old TCB info uploaded with a
		// fresh CRL): the upload's later evaluation replaces it.
		let mut earlier = real.clone();
		earlier.tcb_evaluation_data_number = real.tcb_evaluation_data_number - 1;
		earlier.issued_at = real.issued_at + 86_400;
		DcapCollateral::<Test>::insert(key, earlier);
		assert_ok!(Attestation::upload_collateral(RuntimeOrigin::signed(BOB), bounded(collateral)));
		assert_eq!(DcapCollateral::<Test>::get(key), Some(real));
	});
}
