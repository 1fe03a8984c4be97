//! Quantum facility identity certificates: the committed development root and benchmark
//! certificate, and a provider attested end to end.

use super::*;

/// 2026-01-01T00:00:00Z.
const T2026: u64 = 1_767_225_600;

fn dev_cert(p: ProviderId, families: &[&str]) -> Vec<u8> {
	verify::dev_facility::issue(
		fresh_binding(p),
		"AICF development facility",
		families,
		T2026 - 86_400,
		T2026 + 365 * 86_400,
	)
	.unwrap()
}

#[test]
fn the_committed_development_root_is_the_development_facility_root() {
	assert_eq!(
		crate::vendor_roots::DEV_QUANTUM_FACILITY_ROOT,
		&verify::dev_facility::root_der().unwrap()[..],
		"regenerate pallets/attestation/dev/quantum-facility-root.der"
	);
}

/// The CCA token the `verify_cca` benchmark verifies: an ES512 platform token (P-521, the
/// costliest platform signature) from the development platform, the realm challenge starting
/// with `[0xAB; 32]`. `AICF_BLESS=1` writes it from the builder instead of comparing.
#[test]
fn the_committed_cca_benchmark_token_is_the_development_platform_s() {
	use verify::{cca::PlatformAlg, dev_facility::cca};
	let spec = cca::TokenSpec {
		platform_alg: PlatformAlg::Es512,
		..cca::TokenSpec::bound_to(&[0xAB; 32])
	};
	let built = cca::token(&spec).unwrap();
	if std::env::var_os("AICF_BLESS").is_some() {
		let file =
			std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dev/cca-bench-es512.cbor");
		std::fs::write(file, &built).unwrap();
		return;
	}
	assert_eq!(
		&include_bytes!("../../dev/cca-bench-es512.cbor")[..],
		&built[..],
		"regenerate pallets/attestation/dev/cca-bench-es512.cbor (AICF_BLESS=1)"
	);
}

/// `AICF_BLESS=1` writes the files from the builder instead of comparing.
#[test]
fn the_committed_development_cca_anchors_are_the_development_platform_s() {
	use verify::cca::PlatformAlg;
	let files = ["cca-anchor-p256.der", "cca-anchor-p384.der", "cca-anchor-p521.der"];
	for ((alg, committed), file) in [PlatformAlg::Es256, PlatformAlg::Es384, PlatformAlg::Es512]
		.into_iter()
		.zip(crate::vendor_roots::DEV_CCA_ANCHORS)
		.zip(files)
	{
		let built = verify::dev_facility::cca::trust_anchor_der(alg).unwrap();
		if std::env::var_os("AICF_BLESS").is_some() {
			let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dev");
			std::fs::write(dir.join(file), &built).unwrap();
			continue;
		}
		assert_eq!(
			committed,
			&built[..],
			"regenerate pallets/attestation/dev/{file} (AICF_BLESS=1)"
		);
		let anchor = verify::cca::TrustAnchor::decode(committed).unwrap();
		assert_eq!(anchor.instance_id, verify::dev_facility::cca::instance_id(alg));
	}
}

#[test]
fn the_committed_benchmark_certificate_is_the_development_facility_s() {
	// A leaf the root signed (tests, the fuzz target's seed) and the longest chain, a leaf
	// and two intermediates (the `verify_quantum` benchmark).
	let chain_of = |intermediates| {
		verify::dev_facility::issue_chain(
			verify::provider_binding(&[0xBE; 12]),
			"AICF development facility",
			&["clifford", "t-depth"],
			verify::dev_facility::DEV_ROOT_NOT_BEFORE,
			verify::dev_facility::DEV_ROOT_NOT_AFTER,
			intermediates,
		)
		.unwrap()
	};
	let chain = chain_of(verify::quantum::MAX_CHAIN_LEN - 1);
	let leaf = chain_of(0).concat();
	let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dev");
	let files = [("quantum-bench-leaf.der", leaf), ("quantum-bench-chain.der", chain.concat())];
	for (file, built) in files {
		if std::env::var_os("AICF_BLESS").is_some() {
			std::fs::write(dir.join(file), &built).unwrap();
			continue;
		}
		assert_eq!(
			std::fs::read(dir.join(file)).unwrap(),
			built,
			"regenerate pallets/attestation/dev/{file} (AICF_BLESS=1)"
		);
	}
	// The chain verifies under the development root, with a fingerprint per certificate.
	let certs: Vec<&[u8]> = chain.iter().map(|c| c.as_slice()).collect();
	let v = verify::quantum::verify(
		&certs,
		&[crate::vendor_roots::DEV_QUANTUM_FACILITY_ROOT],
		&verify::Policy::default(),
		&verify::provider_binding(&[0xBE; 12]),
		T2026,
	)
	.unwrap();
	assert_eq!(v.chain_fingerprints.len(), verify::quantum::MAX_CHAIN_LEN);
}

/// Chain time in 2026, the development facility's root pinned (by governance), provider 1
/// registered with Alice as controller.
fn with_dev_facility() {
	Now::set(T2026);
	assert_ok!(Attestation::add_root(
		RuntimeOrigin::root(),
		RootKind::QuantumFacility,
		bounded(crate::vendor_roots::DEV_QUANTUM_FACILITY_ROOT.to_vec())
	));
	MockRegistry::add(provider(1), ALICE);
}

#[test]
fn a_quantum_identity_certificate_attests_its_provider_end_to_end() {
	new_test_ext().execute_with(|| {
		with_dev_facility();
		MockRegistry::add(provider(2), BOB);
		let cert = dev_cert(provider(1), &["clifford", "t-depth"]);

		// Provider 2 cannot use provider 1's certificate.
		assert_noop!(
			Attestation::submit_attestation(
				RuntimeOrigin::signed(BOB),
				provider(2),
				EvidenceKind::Quantum,
				CHALLENGE,
				bounded(cert.clone())
			),
			Error::<Test>::ReportDataMismatch
		);
		// Claimed as another kind, it is not a TEE quote.
		assert_noop!(
			Attestation::submit_attestation(
				RuntimeOrigin::signed(ALICE),
				provider(1),
				EvidenceKind::Cca,
				CHALLENGE,
				bounded(cert.clone())
			),
			Error::<Test>::NoPinnedRoot
		);

		assert_ok!(Attestation::submit_attestation(
			RuntimeOrigin::signed(ALICE),
			provider(1),
			EvidenceKind::Quantum,
			CHALLENGE,
			bounded(cert.clone())
		));
		let rec = MockRegistry::attestation(&provider(1)).unwrap();
		assert_eq!(rec.kind, EvidenceKind::Quantum);
		assert_eq!(rec.evidence_hash, verify::evidence_hash(&cert));
		assert_eq!(rec.expires_at, 1 + MaxValidityBlocks::get());
		let stored = Attestations::<Test>::get(provider(1), CapabilityKind::Quantum).unwrap();
		assert_eq!(stored.trap_families.len(), 2);

		// The network now accepts only another trap family: new submissions fail, and the
		// stored attestation can be revoked by anyone.
		let mut policy = NetworkPolicy::<Test>::get();
		policy.quantum_trap_families =
			vec![b"magic-state".to_vec().try_into().unwrap()].try_into().unwrap();
		assert_ok!(Attestation::set_policy(RuntimeOrigin::root(), policy));
		assert_noop!(
			Attestation::submit_attestation(
				RuntimeOrigin::signed(ALICE),
				provider(1),
				EvidenceKind::Quantum,
				CHALLENGE,
				bounded(cert)
			),
			Error::<Test>::NoAcceptedTrapFamily
		);
		assert_ok!(Attestation::revalidate(
			RuntimeOrigin::signed(BOB),
			provider(1),
			CapabilityKind::Quantum
		));
		assert!(MockRegistry::attestation(&provider(1)).is_none());

		// An expired certificate.
		Now::set(T2026 + 400 * 86_400);
		assert_noop!(
			Attestation::submit_attestation(
				RuntimeOrigin::signed(ALICE),
				provider(1),
				EvidenceKind::Quantum,
				CHALLENGE,
				bounded(dev_cert(provider(1), &["magic-state"]))
			),
			Error::<Test>::EvidenceExpired
		);
	});
}

/// A facility certificate governance revokes by fingerprint: new evidence through it is refused,
/// and an attestation already accepted through it is revoked by anyone's `revalidate`; a
/// reinstated certificate counts again. An attestation also lapses when its certificate ends by
/// chain time, however few blocks have passed.
#[test]
fn a_revoked_facility_certificate_is_refused_and_revokes_what_it_attested() {
	new_test_ext().execute_with(|| {
		with_dev_facility();
		let cert = dev_cert(provider(1), &["clifford"]);
		let submit = || {
			Attestation::submit_attestation(
				RuntimeOrigin::signed(ALICE),
				provider(1),
				EvidenceKind::Quantum,
				CHALLENGE,
				bounded(cert.clone()),
			)
		};
		assert_ok!(submit());
		let stored = Attestations::<Test>::get(provider(1), CapabilityKind::Quantum).unwrap();
		let v = Attestation::verify_evidence(
			EvidenceKind::Quantum,
			&cert,
			&fresh_binding(provider(1)),
			T2026,
		)
		.unwrap();
		assert_eq!(
			v.chain_fingerprints,
			vec![sp_io::hashing::sha2_256(&cert)],
			"a leaf under the root"
		);
		assert_eq!(stored.chain_fingerprints.to_vec(), v.chain_fingerprints);
		assert_eq!(stored.not_after, v.not_after);
		let fingerprint = stored.chain_fingerprints[0];

		assert_noop!(
			Attestation::set_certificate_revoked(RuntimeOrigin::signed(ALICE), fingerprint, true),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Attestation::set_certificate_revoked(RuntimeOrigin::root(), fingerprint, false),
			Error::<Test>::RevocationUnchanged
		);
		assert_ok!(Attestation::set_certificate_revoked(RuntimeOrigin::root(), fingerprint, true));
		assert_eq!(
			events().last(),
			Some(&Event::CertificateRevocationSet { fingerprint, revoked: true })
		);
		assert_noop!(
			Attestation::set_certificate_revoked(RuntimeOrigin::root(), fingerprint, true),
			Error::<Test>::RevocationUnchanged
		);
		// The stored attestation is revoked by anyone, for free; new evidence through the
		// certificate is refused and changes nothing.
		let info = Attestation::revalidate(
			RuntimeOrigin::signed(BOB),
			provider(1),
			CapabilityKind::Quantum,
		)
		.unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		assert_last_revoked(
			provider(1),
			CapabilityKind::Quantum,
			RevocationReason::CertificateRevoked,
		);
		assert!(MockRegistry::attestation(&provider(1)).is_none());
		assert_noop!(submit(), Error::<Test>::CertificateRevoked);

		// Reinstated, it attests again.
		assert_ok!(Attestation::set_certificate_revoked(RuntimeOrigin::root(), fingerprint, false));
		assert!(!crate::RevokedCertificates::<Test>::contains_key(fingerprint));
		assert_ok!(submit());
		assert_noop!(
			Attestation::revalidate(
				RuntimeOrigin::signed(BOB),
				provider(1),
				CapabilityKind::Quantum
			),
			Error::<Test>::StillValid
		);

		// At the certificate's end by chain time it has expired, though the block is the same.
		let stored = Attestations::<Test>::get(provider(1), CapabilityKind::Quantum).unwrap();
		assert!(System::block_number() < stored.expires_at);
		Now::set(stored.not_after);
		assert_noop!(
			Attestation::revalidate(
				RuntimeOrigin::signed(BOB),
				provider(1),
				CapabilityKind::Quantum
			),
			Error::<Test>::StillValid
		);
		Now::set(stored.not_after + 1);
		assert_ok!(Attestation::revalidate(
			RuntimeOrigin::signed(BOB),
			provider(1),
			CapabilityKind::Quantum
		));
		assert_last_revoked(provider(1), CapabilityKind::Quantum, RevocationReason::Expired);
	});
}
