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
				CHALLENGE,
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
				CHALLENGE,
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
				CHALLENGE,
				evidence
			),
			Error::<Test>::ReportDataMismatch
		);
		assert_noop!(
			Attestation::submit_attestation(
				RuntimeOrigin::signed(ALICE),
				provider(1),
				EvidenceKind::Cca,
				CHALLENGE,
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
				CHALLENGE,
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
		assert_eq!(rec.evidence_hash, verify::evidence_hash(&sev_bundle()));
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
		assert_eq!(
			Attestations::<Test>::get(provider(1), CapabilityKind::Ai).unwrap().tcb_status,
			v.tcb_status
		);

		// Evidence expiring within the next block counts for nothing.
		let mut short = v.clone();
		short.not_after = Now::get() + 5;
		assert_noop!(
			Attestation::store_attestation(
				provider(1),
				EvidenceKind::SevSnp,
				&[1],
				&short,
				[0; 32],
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
			[0; 32],
			Now::get()
		));
		assert_eq!(MockRegistry::attestation(&provider(1)).unwrap().expires_at, 5 + 100);
		// The registry also gets the end of validity in chain time.
		assert_eq!(MockRegistry::attestation(&provider(1)).unwrap().not_after, Now::get() + 600);
	});
}

#[test]
fn garbage_evidence_of_any_size_is_refused_without_panicking() {
	new_test_ext().execute_with(|| {
		pin(RootKind::IntelSgx, INTEL_ROOT);
		pin(RootKind::AmdArk, MILAN_ARK);
		pin(RootKind::ArmCcaPlatform, CPAK);
		assert_ok!(Attestation::add_root(
			RuntimeOrigin::root(),
			RootKind::QuantumFacility,
			bounded(crate::vendor_roots::DEV_QUANTUM_FACILITY_ROOT.to_vec())
		));
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
					CHALLENGE,
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
	use verify::dev_facility::cca::{token, trust_anchor_der, TokenSpec};
	new_test_ext().execute_with(|| {
		assert_ok!(Attestation::add_root(
			RuntimeOrigin::root(),
			RootKind::ArmCcaPlatform,
			bounded(trust_anchor_der(verify::cca::PlatformAlg::Es384).unwrap())
		));
		MockRegistry::add(provider(1), ALICE);
		// A realm on a platform in a debug lifecycle state (recoverable PSA-RoT debug), bound
		// to provider 1.
		let spec =
			TokenSpec { lifecycle: 0x5000, ..TokenSpec::bound_to(&fresh_binding(provider(1))) };
		let debug = token(&spec).unwrap();
		let submit = || {
			Attestation::submit_attestation(
				RuntimeOrigin::signed(ALICE),
				provider(1),
				EvidenceKind::Cca,
				CHALLENGE,
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
			CHALLENGE,
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

/// The four ways a CCA token fails to reach a pinned platform, each named: a platform no
/// anchor names, a platform signature not by the anchor's key, a realm signature not by the
/// realm's key, a realm the platform does not vouch for. None records anything.
#[test]
fn cca_failures_name_the_check_that_failed() {
	use verify::{
		cca::PlatformAlg,
		dev_facility::cca::{instance_id, token, trust_anchor_der, TokenSpec},
	};
	new_test_ext().execute_with(|| {
		for alg in [PlatformAlg::Es256, PlatformAlg::Es384, PlatformAlg::Es512] {
			assert_ok!(Attestation::add_root(
				RuntimeOrigin::root(),
				RootKind::ArmCcaPlatform,
				bounded(trust_anchor_der(alg).unwrap())
			));
		}
		MockRegistry::add(provider(1), ALICE);
		let spec = TokenSpec::bound_to(&fresh_binding(provider(1)));
		let submit = |t: Vec<u8>| {
			Attestation::submit_attestation(
				RuntimeOrigin::signed(ALICE),
				provider(1),
				EvidenceKind::Cca,
				CHALLENGE,
				bounded(t),
			)
		};
		let unpinned = TokenSpec { instance_id: Some(vec![0x01, 0x77]), ..spec.clone() };
		assert_noop!(submit(token(&unpinned).unwrap()), Error::<Test>::UntrustedChain);
		// An ES512 token claiming the P-384 platform's instance ID.
		let forged = TokenSpec {
			platform_alg: PlatformAlg::Es512,
			instance_id: Some(instance_id(PlatformAlg::Es384)),
			..spec.clone()
		};
		assert_noop!(submit(token(&forged).unwrap()), Error::<Test>::BadPlatformSignature);
		let mut bad_realm = token(&spec).unwrap();
		let last = bad_realm.len() - 1;
		bad_realm[last] ^= 1;
		assert_noop!(submit(bad_realm), Error::<Test>::BadRealmSignature);
		let unbound = TokenSpec { nonce: Some(vec![0; 48]), ..spec.clone() };
		assert_noop!(submit(token(&unbound).unwrap()), Error::<Test>::RealmNotBound);
		assert!(MockRegistry::attestation(&provider(1)).is_none());
		// Each algorithm's genuine token is accepted.
		for alg in [PlatformAlg::Es256, PlatformAlg::Es384, PlatformAlg::Es512] {
			assert_ok!(submit(token(&TokenSpec { platform_alg: alg, ..spec.clone() }).unwrap()));
		}
		assert_eq!(MockRegistry::attestation(&provider(1)).unwrap().version, 3);
	});
}

/// Fresh, key-bound evidence: a CCA realm (development platform) whose challenge binds
/// provider 1, a recent block and its registry key.
mod freshness {
	use super::*;
	use frame_support::traits::{ConstU32, Get};
	use sp_runtime::DispatchResult;
	use verify::dev_facility::cca::{token, trust_anchor_der, TokenSpec};

	fn setup() {
		assert_ok!(Attestation::add_root(
			RuntimeOrigin::root(),
			RootKind::ArmCcaPlatform,
			bounded(trust_anchor_der(verify::cca::PlatformAlg::Es384).unwrap())
		));
		MockRegistry::add(provider(1), ALICE);
	}

	fn realm(binding: &[u8]) -> BoundedVec<u8, ConstU32<16_384>> {
		bounded(token(&TokenSpec::bound_to(binding)).unwrap())
	}

	fn submit(challenge: u64, evidence: BoundedVec<u8, ConstU32<16_384>>) -> DispatchResult {
		Attestation::submit_attestation(
			RuntimeOrigin::signed(ALICE),
			provider(1),
			EvidenceKind::Cca,
			challenge,
			evidence,
		)
	}

	/// Move to block `n`, keeping the hash of every block before it as frame-system does.
	fn go_to(n: u64) {
		for b in System::block_number()..n {
			frame_system::BlockHash::<Test>::insert(b, sp_core::H256::repeat_byte(b as u8 ^ 0x33));
		}
		System::set_block_number(n);
	}

	fn binding_at(block: u64) -> [u8; 32] {
		let hash = System::block_hash(block);
		verify::attestation_binding(
			&provider(1).0,
			hash.as_fixed_bytes(),
			&MockRegistry::key_hash(&provider(1)),
		)
	}

	#[test]
	fn evidence_binds_a_recent_block_and_the_registry_key() {
		new_test_ext().execute_with(|| {
			setup();
			go_to(1_000);
			let window: u64 = <Test as crate::Config>::ChallengeWindow::get();
			// The binding of the old, provider-only scheme is refused.
			assert_noop!(
				submit(999, realm(&verify::provider_binding(&provider(1).0))),
				Error::<Test>::ReportDataMismatch
			);
			// Bound to block 999 but naming block 998: another challenge.
			assert_noop!(submit(998, realm(&binding_at(999))), Error::<Test>::ReportDataMismatch);
			// Bound to another registry key.
			let other_key = verify::attestation_binding(
				&provider(1).0,
				System::block_hash(999).as_fixed_bytes(),
				&[0xAA; 32],
			);
			assert_noop!(submit(999, realm(&other_key)), Error::<Test>::ReportDataMismatch);
			// The current block and later ones have no hash yet.
			assert_noop!(submit(1_000, realm(&binding_at(999))), Error::<Test>::ChallengeNotPast);
			assert_noop!(submit(5_000, realm(&binding_at(999))), Error::<Test>::ChallengeNotPast);
			assert!(MockRegistry::attestation(&provider(1)).is_none());

			// The oldest block inside the window works; one block older does not.
			let oldest = 1_000 - window;
			assert_noop!(
				submit(oldest - 1, realm(&binding_at(oldest - 1))),
				Error::<Test>::ChallengeTooOld
			);
			assert_ok!(submit(oldest, realm(&binding_at(oldest))));
			assert_eq!(MockRegistry::attestation(&provider(1)).unwrap().version, 1);
		});
	}

	#[test]
	fn yesterdays_evidence_is_refused_once_its_challenge_leaves_the_window() {
		new_test_ext().execute_with(|| {
			setup();
			go_to(100);
			let evidence = realm(&binding_at(99));
			assert_ok!(submit(99, evidence.clone()));
			// The same evidence resubmitted a day later.
			go_to(100 + 14_400);
			assert_noop!(submit(99, evidence), Error::<Test>::ChallengeTooOld);
			assert_eq!(MockRegistry::attestation(&provider(1)).unwrap().version, 1);
		});
	}

	#[test]
	fn a_challenge_whose_hash_the_chain_no_longer_keeps_is_too_old() {
		new_test_ext().execute_with(|| {
			setup();
			go_to(10);
			let evidence = realm(&binding_at(5));
			frame_system::BlockHash::<Test>::remove(5);
			assert_noop!(submit(5, evidence), Error::<Test>::ChallengeTooOld);
		});
	}
}
