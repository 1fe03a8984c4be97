//! Submission: who may submit, the provider binding, the hand-over to the registry with hash,
//! version and expiry, debug platforms, and garbage evidence.

use super::*;

#[test]
fn only_the_controller_submits_and_evidence_must_bind_the_provider() {
	new_test_ext().execute_with(|| {
		pin(RootKind::AmdArk, MILAN_ARK);
		let evidence: BoundedVec<u8, _> = bounded(sev_bundle());
		assert_noop!(
			Attestation::submit_attestation(
				RuntimeOrigin::signed(ALICE),
				provider(1),
				EvidenceKind::SevSnp,
				evidence.clone()
			),
			Error::<Test>::UnknownProvider
		);
		MockRegistry::add(provider(1), ALICE);
		assert_noop!(
			Attestation::submit_attestation(
				RuntimeOrigin::signed(BOB),
				provider(1),
				EvidenceKind::SevSnp,
				evidence.clone()
			),
			Error::<Test>::NotController
		);
		// Real evidence, made for someone else: it does not bind provider 1.
		assert_noop!(
			Attestation::submit_attestation(
				RuntimeOrigin::signed(ALICE),
				provider(1),
				EvidenceKind::SevSnp,
				evidence
			),
			Error::<Test>::ReportDataMismatch
		);
		assert_noop!(
			Attestation::submit_attestation(
				RuntimeOrigin::signed(ALICE),
				provider(1),
				EvidenceKind::Cca,
				bounded(vec![0xFF; 64])
			),
			Error::<Test>::NoPinnedRoot
		);
		pin(RootKind::ArmCcaPlatform, CPAK);
		assert_noop!(
			Attestation::submit_attestation(
				RuntimeOrigin::signed(ALICE),
				provider(1),
				EvidenceKind::Cca,
				bounded(vec![0xFF; 64])
			),
			Error::<Test>::MalformedEvidence
		);
		assert!(MockRegistry::attestation(&provider(1)).is_none());
	});
}

#[test]
fn verified_attestations_go_to_the_registry_with_hash_version_and_expiry() {
	new_test_ext().execute_with(|| {
		MockRegistry::add(provider(1), ALICE);
		store_sev(provider(1));
		let rec = MockRegistry::attestation(&provider(1)).unwrap();
		assert_eq!(rec.hash, verify::evidence_hash(&sev_bundle()));
		assert_eq!(rec.kind, EvidenceKind::SevSnp);
		assert_eq!(hex::encode(rec.measurement), SEV_MEASUREMENT);
		assert_eq!(rec.version, 1);
		assert_eq!(rec.updated_height, 1);
		// The VCEK is valid for years: MaxValidityBlocks bounds it.
		assert_eq!(rec.expires_at, 1 + MaxValidityBlocks::get());
		assert!(matches!(events().last(), Some(Event::AttestationAccepted { version: 1, .. })));

		System::set_block_number(5);
		let v = store_sev_again(provider(1));
		assert_eq!(MockRegistry::attestation(&provider(1)).unwrap().version, 2);
		assert_eq!(Attestations::<Test>::get(provider(1)).unwrap().tcb_status, v.tcb_status);

		// Evidence expiring within the next block counts for nothing.
		let mut short = v.clone();
		short.not_after = Now::get() + 5;
		assert_noop!(
			Attestation::store_attestation(
				provider(1),
				EvidenceKind::SevSnp,
				&[1],
				&short,
				Now::get()
			),
			Error::<Test>::EvidenceExpired
		);
		short.not_after = Now::get() + 600;
		assert_ok!(Attestation::store_attestation(
			provider(1),
			EvidenceKind::SevSnp,
			&[1],
			&short,
			Now::get()
		));
		assert_eq!(MockRegistry::attestation(&provider(1)).unwrap().expires_at, 5 + 100);
	});
}

#[test]
fn garbage_evidence_of_any_size_is_refused_without_panicking() {
	new_test_ext().execute_with(|| {
		pin(RootKind::IntelSgx, INTEL_ROOT);
		pin(RootKind::AmdArk, MILAN_ARK);
		pin(RootKind::ArmCcaPlatform, CPAK);
		pin(RootKind::QuantumFacility, INTEL_ROOT);
		MockRegistry::add(provider(1), ALICE);
		let mut seed = 7u32;
		for len in [0usize, 1, 2, 31, 64, 500, 1184, 1185, 4_600, 16_384] {
			let bytes: Vec<u8> = (0..len)
				.map(|_| {
					seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
					(seed >> 16) as u8
				})
				.collect();
			for kind in [
				EvidenceKind::SgxDcap,
				EvidenceKind::TdxDcap,
				EvidenceKind::SevSnp,
				EvidenceKind::Cca,
				EvidenceKind::Quantum,
			] {
				let r = Attestation::submit_attestation(
					RuntimeOrigin::signed(ALICE),
					provider(1),
					kind,
					bounded(bytes.clone()),
				);
				assert!(r.is_err(), "{kind:?} of {len} random bytes accepted");
			}
		}
		assert!(MockRegistry::attestation(&provider(1)).is_none());
	});
}

#[test]
fn evidence_from_a_debug_platform_is_refused_unless_the_policy_allows_debug() {
	use verify::dev_facility::cca::{platform_key_der, token, TokenSpec};
	new_test_ext().execute_with(|| {
		assert_ok!(Attestation::add_root(
			RuntimeOrigin::root(),
			RootKind::ArmCcaPlatform,
			bounded(platform_key_der().unwrap())
		));
		MockRegistry::add(provider(1), ALICE);
		// A realm on a platform in a debug lifecycle state (recoverable PSA-RoT debug), bound
		// to provider 1.
		let spec = TokenSpec {
			lifecycle: 0x5000,
			..TokenSpec::bound_to(&verify::provider_binding(&provider(1).0))
		};
		let debug = token(&spec).unwrap();
		let submit = || {
			Attestation::submit_attestation(
				RuntimeOrigin::signed(ALICE),
				provider(1),
				EvidenceKind::Cca,
				bounded(debug.clone()),
			)
		};
		assert_noop!(submit(), Error::<Test>::DebugRefused);
		assert!(MockRegistry::attestation(&provider(1)).is_none());

		// The same platform, secured: accepted.
		let secured = token(&TokenSpec { lifecycle: 0x3000, ..spec.clone() }).unwrap();
		assert_ok!(Attestation::submit_attestation(
			RuntimeOrigin::signed(ALICE),
			provider(1),
			EvidenceKind::Cca,
			bounded(secured)
		));
		// Governance allows debug platforms: the debug realm is accepted too.
		let mut policy = NetworkPolicy::<Test>::get();
		policy.allow_debug = true;
		assert_ok!(Attestation::set_policy(RuntimeOrigin::root(), policy));
		assert_ok!(submit());
		assert_eq!(MockRegistry::attestation(&provider(1)).unwrap().version, 2);
	});
}
