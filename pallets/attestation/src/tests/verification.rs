//! Verification of each evidence kind against the pinned roots, stored collateral and policy,
//! and the pallet error each verifier error becomes.

use super::*;

fn with_sgx_collateral() {
	Now::set(T_SGX);
	pin(RootKind::IntelSgx, INTEL_ROOT);
	assert_ok!(Attestation::upload_collateral(
		RuntimeOrigin::signed(ALICE),
		bounded(fixture(SGX_COLLATERAL))
	));
}

#[test]
fn sgx_quote_verifies_with_stored_collateral_under_an_accepting_policy() {
	new_test_ext().execute_with(|| {
		let quote = fixture(SGX_QUOTE);
		Now::set(T_SGX);
		pin(RootKind::IntelSgx, INTEL_ROOT);
		assert_noop!(
			Attestation::verify_evidence(EvidenceKind::SgxDcap, &quote, &[1], T_SGX),
			Error::<Test>::CollateralMissing
		);
		assert_ok!(Attestation::upload_collateral(
			RuntimeOrigin::signed(ALICE),
			bounded(fixture(SGX_COLLATERAL))
		));
		let binding = quote_report_data(&quote);
		// PROVENANCE: TCB status ConfigurationAndSWHardeningNeeded, refused by default.
		assert_noop!(
			Attestation::verify_evidence(EvidenceKind::SgxDcap, &quote, &binding, T_SGX),
			Error::<Test>::TcbStatusRejected
		);
		accept_sgx_tcb();
		let v =
			Attestation::verify_evidence(EvidenceKind::SgxDcap, &quote, &binding, T_SGX).unwrap();
		assert_eq!(v.tcb_status, TcbStatus::ConfigurationAndSwHardeningNeeded);
		assert_eq!(&v.report_data[..32], &binding[..]);
		// The same quote claimed as TDX.
		assert_noop!(
			Attestation::verify_evidence(EvidenceKind::TdxDcap, &quote, &binding, T_SGX),
			Error::<Test>::UnsupportedEvidence
		);
		// A flipped byte in the quote's body breaks its signature.
		let mut flipped = quote.clone();
		flipped[100] ^= 1;
		assert_noop!(
			Attestation::verify_evidence(EvidenceKind::SgxDcap, &flipped, &binding, T_SGX),
			Error::<Test>::BadEvidenceSignature
		);
	});
}

#[test]
fn dcap_policy_errors_each_have_their_own_error() {
	new_test_ext().execute_with(|| {
		with_sgx_collateral();
		accept_sgx_tcb();
		let quote = fixture(SGX_QUOTE);
		let binding = quote_report_data(&quote);

		let mut policy = NetworkPolicy::<Test>::get();
		policy.any_workload = false;
		policy.workloads = workload_rules(vec![verify::WorkloadRule::Sgx {
			mr_signer: [9; 32],
			isv_prod_id: 0,
			min_isv_svn: 0,
			mr_enclave: None,
			config_id: None,
		}]);
		assert_ok!(Attestation::set_policy(RuntimeOrigin::root(), policy.clone()));
		assert_noop!(
			Attestation::verify_evidence(EvidenceKind::SgxDcap, &quote, &binding, T_SGX),
			Error::<Test>::MeasurementNotAllowed
		);
		policy.workloads = Default::default();
		policy.any_workload = true;
		policy.max_age_secs = 60;
		assert_ok!(Attestation::set_policy(RuntimeOrigin::root(), policy));
		assert_noop!(
			Attestation::verify_evidence(EvidenceKind::SgxDcap, &quote, &binding, T_SGX),
			Error::<Test>::EvidenceTooOld
		);
	});
}

#[test]
fn revoked_pck_certificates_are_refused() {
	new_test_ext().execute_with(|| {
		with_sgx_collateral();
		accept_sgx_tcb();
		let quote = fixture(SGX_QUOTE);
		let binding = quote_report_data(&quote);
		// A newer PCK CRL listing the quote's PCK certificate (serial from PROVENANCE.md).
		let key = verify::dcap::quote_collateral_key(&quote).unwrap();
		DcapCollateral::<Test>::mutate(key, |c| {
			let c = c.as_mut().unwrap();
			let serial = hex::decode("0081b77732b761e98eb9b963a4abd1e5b9bf5dd8d6").unwrap();
			let plain = hex::decode("81b77732b761e98eb9b963a4abd1e5b9bf5dd8d6").unwrap();
			c.revoked_pck_serials.try_push(serial.try_into().unwrap()).unwrap();
			c.revoked_pck_serials.try_push(plain.try_into().unwrap()).unwrap();
		});
		assert_noop!(
			Attestation::verify_evidence(EvidenceKind::SgxDcap, &quote, &binding, T_SGX),
			Error::<Test>::CertificateRevoked
		);
	});
}

#[test]
fn tdx_quote_verifies_and_an_unmatched_tcb_is_a_collateral_mismatch() {
	new_test_ext().execute_with(|| {
		Now::set(T_TDX);
		pin(RootKind::IntelSgx, INTEL_ROOT);
		assert_ok!(Attestation::upload_collateral(
			RuntimeOrigin::signed(ALICE),
			bounded(fixture(TDX_COLLATERAL))
		));
		let quote = fixture(TDX_QUOTE);
		let binding = quote_report_data(&quote);
		let v =
			Attestation::verify_evidence(EvidenceKind::TdxDcap, &quote, &binding, T_TDX).unwrap();
		assert_eq!(v.tcb_status, TcbStatus::UpToDate);
		assert_eq!(v.kind, EvidenceKind::TdxDcap);
		// PROVENANCE: the other TDX quote matches no TCB level of this collateral.
		let other = hex_fixture("dcap/dcap-qvl/sample/tdx-quote.hex");
		assert_noop!(
			Attestation::verify_evidence(EvidenceKind::TdxDcap, &other, &binding, T_TDX),
			Error::<Test>::CollateralMismatch
		);
	});
}

#[test]
fn sev_snp_report_verifies_against_the_pinned_ark() {
	new_test_ext().execute_with(|| {
		let bundle = sev_bundle();
		let binding = binding_of_report(SEV_REPORT_DATA);
		assert_noop!(
			Attestation::verify_evidence(EvidenceKind::SevSnp, &bundle, &binding, Now::get()),
			Error::<Test>::NoPinnedRoot
		);
		pin(RootKind::AmdArk, GENOA_ARK);
		assert_noop!(
			Attestation::verify_evidence(EvidenceKind::SevSnp, &bundle, &binding, Now::get()),
			Error::<Test>::UntrustedChain
		);
		pin(RootKind::AmdArk, MILAN_ARK);
		let v = Attestation::verify_evidence(EvidenceKind::SevSnp, &bundle, &binding, Now::get())
			.unwrap();
		assert_eq!(hex::encode(v.measurement), SEV_MEASUREMENT);

		let mut flipped = bundle.clone();
		flipped[0x90] ^= 1; // measurement, inside the signed region
		assert_noop!(
			Attestation::verify_evidence(EvidenceKind::SevSnp, &flipped, &binding, Now::get()),
			Error::<Test>::BadEvidenceSignature
		);
		assert_noop!(
			Attestation::verify_evidence(
				EvidenceKind::SevSnp,
				&bundle[..1000],
				&binding,
				Now::get()
			),
			Error::<Test>::MalformedEvidence
		);
		// The VCEK expires 2030-04-03 (1 901 474 623).
		assert_noop!(
			Attestation::verify_evidence(EvidenceKind::SevSnp, &bundle, &binding, 1_950_000_000),
			Error::<Test>::EvidenceExpired
		);
		// A policy bit the guest did not set (POLICY is 0x30000).
		let mut policy = NetworkPolicy::<Test>::get();
		policy.sev_required_policy_bits = 1 << 20;
		assert_ok!(Attestation::set_policy(RuntimeOrigin::root(), policy));
		assert_noop!(
			Attestation::verify_evidence(EvidenceKind::SevSnp, &bundle, &binding, Now::get()),
			Error::<Test>::PolicyBitRejected
		);
	});
}

#[test]
fn cca_token_verifies_against_the_pinned_platform_key() {
	new_test_ext().execute_with(|| {
		let token = fixture(CCA_TOKEN);
		let binding = vec![0xAB; 32];
		pin(RootKind::ArmCcaPlatform, CPAK);
		let v =
			Attestation::verify_evidence(EvidenceKind::Cca, &token, &binding, Now::get()).unwrap();
		assert_eq!(v.kind, EvidenceKind::Cca);
		assert_noop!(
			Attestation::verify_evidence(EvidenceKind::Cca, &token, &[0xAC; 32], Now::get()),
			Error::<Test>::ReportDataMismatch
		);
	});
}

#[test]
fn every_verifier_error_has_its_own_pallet_error() {
	use verify::{AttestationError as A, ParseRegion};
	let cases = [
		(A::Parse(ParseRegion::Body), Error::<Test>::MalformedEvidence),
		(A::Unsupported, Error::<Test>::UnsupportedEvidence),
		(A::Chain, Error::<Test>::UntrustedChain),
		(A::Signature, Error::<Test>::BadEvidenceSignature),
		(A::Expired, Error::<Test>::EvidenceExpired),
		(A::NotYetValid, Error::<Test>::EvidenceNotYetValid),
		(A::Revoked, Error::<Test>::CertificateRevoked),
		(A::TcbStatus(TcbStatus::OutOfDate), Error::<Test>::TcbStatusRejected),
		(A::Measurement, Error::<Test>::MeasurementNotAllowed),
		(A::PolicyBit, Error::<Test>::PolicyBitRejected),
		(A::Debug, Error::<Test>::DebugRefused),
		(A::ReportDataBinding, Error::<Test>::ReportDataMismatch),
		(A::TooOld, Error::<Test>::EvidenceTooOld),
		(A::CollateralMismatch, Error::<Test>::CollateralMismatch),
		(A::TrapFamily, Error::<Test>::NoAcceptedTrapFamily),
		(A::PlatformSignature, Error::<Test>::BadPlatformSignature),
		(A::RealmSignature, Error::<Test>::BadRealmSignature),
		(A::RealmNotBound, Error::<Test>::RealmNotBound),
	];
	let mut seen = std::collections::BTreeSet::new();
	for (from, to) in cases {
		assert!(seen.insert(format!("{to:?}")), "two verifier errors share a pallet error");
		assert_eq!(DispatchError::from(Error::<Test>::from(from)), to.into());
	}
}

/// A chain whose genesis does not opt in admits no TEE workload until governance pins one:
/// an empty allowlist is not "any". Quantum certificates have no workload and are judged by
/// their trap families alone.
#[test]
fn without_a_pinned_workload_no_tee_evidence_is_accepted() {
	use sp_runtime::BuildStorage as _;
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		assert!(!NetworkPolicy::<Test>::get().any_workload);
		assert!(NetworkPolicy::<Test>::get().workloads.is_empty());
	});
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	crate::GenesisConfig::<Test>::default().assimilate_storage(&mut storage).unwrap();
	sp_io::TestExternalities::new(storage)
		.execute_with(|| assert_eq!(NetworkPolicy::<Test>::get(), AttestationPolicy::default()));

	new_test_ext().execute_with(|| {
		assert!(NetworkPolicy::<Test>::get().any_workload, "the mock's development genesis");
		pin(RootKind::AmdArk, MILAN_ARK);
		let bundle = sev_bundle();
		let binding = binding_of_report(SEV_REPORT_DATA);
		let v = Attestation::verify_evidence(EvidenceKind::SevSnp, &bundle, &binding, Now::get())
			.unwrap();
		assert_ok!(Attestation::set_policy(RuntimeOrigin::root(), AttestationPolicy::default()));
		assert_noop!(
			Attestation::verify_evidence(EvidenceKind::SevSnp, &bundle, &binding, Now::get()),
			Error::<Test>::MeasurementNotAllowed
		);
		let pinned = AttestationPolicy {
			workloads: workload_rules(vec![verify::WorkloadRule::exact(&v.workload).unwrap()]),
			..Default::default()
		};
		assert_ok!(Attestation::set_policy(RuntimeOrigin::root(), pinned));
		assert_eq!(
			Attestation::verify_evidence(EvidenceKind::SevSnp, &bundle, &binding, Now::get())
				.unwrap()
				.workload,
			v.workload
		);
	});
}
