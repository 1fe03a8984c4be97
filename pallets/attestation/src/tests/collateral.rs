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

/// After an Intel TCB recovery governance raises the minimum evaluation: collateral from
/// before it is refused at upload, and stored collateral from before it grades no quote.
#[test]
fn a_minimum_tcb_evaluation_refuses_older_collateral_and_the_quotes_it_grades() {
	new_test_ext().execute_with(|| {
		Now::set(T_SGX);
		pin(RootKind::IntelSgx, INTEL_ROOT);
		accept_sgx_tcb();
		let collateral = fixture(SGX_COLLATERAL);
		let quote = fixture(SGX_QUOTE);
		assert_ok!(Attestation::upload_collateral(
			RuntimeOrigin::signed(ALICE),
			bounded(collateral.clone())
		));
		let key = verify::dcap::quote_collateral_key(&quote).unwrap();
		let stored = DcapCollateral::<Test>::get(key).unwrap();
		let binding = quote_report_data(&quote);
		assert_ok!(Attestation::verify_evidence(EvidenceKind::SgxDcap, &quote, &binding, T_SGX));

		let mut policy = NetworkPolicy::<Test>::get();
		policy.min_tcb_evaluation_data_number = stored.tcb_evaluation_data_number + 1;
		assert_ok!(Attestation::set_policy(RuntimeOrigin::root(), policy.clone()));
		assert_eq!(
			Attestation::verify_evidence(EvidenceKind::SgxDcap, &quote, &binding, T_SGX),
			Err(Error::<Test>::TcbEvaluationTooOld.into())
		);
		DcapCollateral::<Test>::remove(key);
		assert_noop!(
			Attestation::upload_collateral(RuntimeOrigin::signed(BOB), bounded(collateral.clone())),
			Error::<Test>::TcbEvaluationTooOld
		);
		assert!(DcapCollateral::<Test>::get(key).is_none());

		// At the collateral's own evaluation it is accepted again.
		policy.min_tcb_evaluation_data_number = stored.tcb_evaluation_data_number;
		assert_ok!(Attestation::set_policy(RuntimeOrigin::root(), policy));
		assert_ok!(Attestation::upload_collateral(RuntimeOrigin::signed(BOB), bounded(collateral)));
		assert_ok!(Attestation::verify_evidence(EvidenceKind::SgxDcap, &quote, &binding, T_SGX));
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

		// Stored: a later evaluation than the upload's, every component older: the upload (an
		// old TCB info with fresher CRLs) is refused and the stored grading stays.
		let mut later = real.clone();
		later.tcb_evaluation_data_number = real.tcb_evaluation_data_number + 1;
		later.issued_at = real.issued_at - 86_400;
		later.issue_dates = shift(&real.issue_dates, -86_400);
		DcapCollateral::<Test>::insert(key, later.clone());
		assert_noop!(
			Attestation::upload_collateral(RuntimeOrigin::signed(BOB), bounded(collateral.clone())),
			Error::<Test>::CollateralRollback
		);
		assert_eq!(DcapCollateral::<Test>::get(key), Some(later));

		// Stored: an earlier evaluation issued at the same dates: the upload's later
		// evaluation replaces it.
		let mut earlier = real.clone();
		earlier.tcb_evaluation_data_number = real.tcb_evaluation_data_number - 1;
		DcapCollateral::<Test>::insert(key, earlier);
		assert_ok!(Attestation::upload_collateral(RuntimeOrigin::signed(BOB), bounded(collateral)));
		assert_eq!(DcapCollateral::<Test>::get(key), Some(real));
	});
}

fn shift(dates: &verify::dcap::CollateralDates, by: i64) -> verify::dcap::CollateralDates {
	let m = |d: u64| d.checked_add_signed(by).unwrap();
	verify::dcap::CollateralDates {
		tcb_info: m(dates.tcb_info),
		qe_identity: m(dates.qe_identity),
		root_ca_crl: m(dates.root_ca_crl),
		pck_crl: m(dates.pck_crl),
	}
}

/// No component goes back, whatever the evaluation: collateral whose PCK CRL (or any other
/// component) is older than the stored one's is refused, even from a later evaluation, and
/// leaves the stored collateral as it was. Newer components replace it.
#[test]
fn collateral_with_an_older_component_never_replaces_the_stored_one() {
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
		type Pick = fn(&mut verify::dcap::CollateralDates) -> &mut u64;
		let picks: [Pick; 4] = [
			|d| &mut d.tcb_info,
			|d| &mut d.qe_identity,
			|d| &mut d.root_ca_crl,
			|d| &mut d.pck_crl,
		];
		for pick in picks {
			// The stored collateral has this one component a second newer than the
			// upload's and an earlier evaluation: the upload would un-revoke or re-grade.
			let mut stored = real.clone();
			stored.tcb_evaluation_data_number = real.tcb_evaluation_data_number - 1;
			*pick(&mut stored.issue_dates) += 1;
			DcapCollateral::<Test>::insert(key, stored.clone());
			assert_noop!(
				Attestation::upload_collateral(
					RuntimeOrigin::signed(BOB),
					bounded(collateral.clone())
				),
				Error::<Test>::CollateralRollback
			);
			assert_eq!(DcapCollateral::<Test>::get(key), Some(stored));

			// This one component a second older, the same evaluation: replaced.
			let mut stored = real.clone();
			*pick(&mut stored.issue_dates) -= 1;
			DcapCollateral::<Test>::insert(key, stored);
			assert_ok!(Attestation::upload_collateral(
				RuntimeOrigin::signed(BOB),
				bounded(collateral.clone())
			));
			assert_eq!(DcapCollateral::<Test>::get(key), Some(real.clone()));
		}
	});
}
