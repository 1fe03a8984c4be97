//! Pinning and removing vendor roots: governance only, one well-formed DER value each, at
//! most `MaxRootsPerKind` per kind.

use super::*;

#[test]
fn roots_are_pinned_and_removed_by_governance_only() {
	new_test_ext().execute_with(|| {
		let der = fixture(INTEL_ROOT);
		assert_noop!(
			Attestation::add_root(
				RuntimeOrigin::signed(ALICE),
				RootKind::IntelSgx,
				bounded(der.clone())
			),
			DispatchError::BadOrigin
		);
		assert_ok!(Attestation::add_root(
			RuntimeOrigin::root(),
			RootKind::IntelSgx,
			bounded(der.clone())
		));
		let hash = sp_io::hashing::sha2_256(&der);
		assert_eq!(
			hex::encode(hash),
			"44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3",
			"the Intel root's published fingerprint"
		);
		assert_eq!(
			events().last(),
			Some(&Event::RootAdded { kind: RootKind::IntelSgx, der_hash: hash })
		);
		assert_noop!(
			Attestation::add_root(RuntimeOrigin::root(), RootKind::IntelSgx, bounded(der)),
			Error::<Test>::RootAlreadyPinned
		);
		// PEM is accepted and stored as DER.
		pin(RootKind::AmdArk, MILAN_ARK);
		assert_eq!(RootCount::<Test>::get(RootKind::AmdArk), 1);

		assert_noop!(
			Attestation::remove_root(RuntimeOrigin::signed(ALICE), RootKind::IntelSgx, hash),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Attestation::remove_root(RuntimeOrigin::root(), RootKind::AmdArk, hash),
			Error::<Test>::UnknownRoot
		);
		assert_ok!(Attestation::remove_root(RuntimeOrigin::root(), RootKind::IntelSgx, hash));
		assert!(!VendorRoots::<Test>::contains_key(RootKind::IntelSgx, hash));
		assert_eq!(RootCount::<Test>::get(RootKind::IntelSgx), 0);
		assert_eq!(
			events().last(),
			Some(&Event::RootRemoved { kind: RootKind::IntelSgx, der_hash: hash })
		);
	});
}

#[test]
fn malformed_oversized_and_surplus_roots_are_refused() {
	new_test_ext().execute_with(|| {
		let add = |bytes: Vec<u8>| {
			Attestation::add_root(RuntimeOrigin::root(), RootKind::QuantumFacility, bounded(bytes))
		};
		assert_noop!(add(vec![]), Error::<Test>::MalformedRoot);
		assert_noop!(add(b"not der".to_vec()), Error::<Test>::MalformedRoot);
		assert_noop!(
			add(b"-----BEGIN CERTIFICATE-----\n!!\n".to_vec()),
			Error::<Test>::MalformedRoot
		);
		// A CCA root is a trust anchor: a bare platform key (a well-formed DER value) names no
		// platform and is refused; its anchor is accepted.
		let cpak = verify::to_der(&fixture(CPAK)).unwrap();
		let add_cca = |bytes: Vec<u8>| {
			Attestation::add_root(RuntimeOrigin::root(), RootKind::ArmCcaPlatform, bounded(bytes))
		};
		assert_noop!(add_cca(cpak.clone()), Error::<Test>::MalformedRoot);
		assert_ok!(add_cca(crate::vendor_roots::tfa_fvp_anchor(&cpak).unwrap()));
		// One anchor per platform instance: another key for the same instance is refused.
		let other = verify::dev_facility::cca::platform_key_der(verify::cca::PlatformAlg::Es256);
		let same_instance = verify::cca::TrustAnchor::encode(
			&verify::cca::TFA_FVP_TEST_INSTANCE_ID,
			&other.unwrap(),
		)
		.unwrap();
		assert_noop!(add_cca(same_instance), Error::<Test>::RootAlreadyPinned);

		// Two DER values are not one root.
		let mut two = fixture(INTEL_ROOT);
		two.extend(fixture(INTEL_ROOT));
		assert_noop!(add(two), Error::<Test>::MalformedRoot);
		// A well-formed DER value longer than MaxRootLen (4 096).
		let mut long = vec![0x04, 0x82, 0x13, 0x88];
		long.extend(vec![0u8; 5_000]);
		assert_noop!(add(long), Error::<Test>::RootTooLong);
		// An AMD ARK or a facility root is a certificate, one per subject name: chains find
		// their root by name.
		assert_noop!(add(vec![0x04, 0x01, 1]), Error::<Test>::MalformedRoot);
		use verify::dev_facility::amd;
		let add_ark = |bytes: Vec<u8>| {
			Attestation::add_root(RuntimeOrigin::root(), RootKind::AmdArk, bounded(bytes))
		};
		assert_ok!(add_ark(amd::ark_der().unwrap()));
		let impostor = p384::ecdsa::SigningKey::from_slice(&[9; 48]).unwrap();
		assert_noop!(
			add_ark(amd::self_signed(amd::DEV_ARK_SUBJECT, &impostor).unwrap()),
			Error::<Test>::RootAlreadyPinned
		);
		assert_ok!(add_ark(amd::self_signed("CN=ARK-Other,O=AICF test", &impostor).unwrap()));
		// Not its own issuer, or not self-signed: refused once, when pinned, since the
		// verifiers trust pinned roots as given.
		let ask =
			verify::to_der(&fixture("sev-snp/virtee-sev/src/certs/snp/builtin/milan/ask.pem"))
				.unwrap();
		assert_noop!(add_ark(ask), Error::<Test>::MalformedRoot);
		let mut forged = amd::self_signed("CN=ARK-Forged,O=AICF test", &impostor).unwrap();
		*forged.last_mut().unwrap() ^= 1;
		assert_noop!(add_ark(forged), Error::<Test>::MalformedRoot);
		// MaxRootsPerKind (4), of a kind any DER value may be.
		let add_intel = |bytes: Vec<u8>| {
			Attestation::add_root(RuntimeOrigin::root(), RootKind::IntelSgx, bounded(bytes))
		};
		for i in 0..4u8 {
			assert_ok!(add_intel(vec![0x04, 0x01, i]));
		}
		assert_noop!(add_intel(vec![0x04, 0x01, 9]), Error::<Test>::TooManyRoots);
	});
}
