//! Tests on the real vendor evidence in `../shared/fixtures` (see each folder's
//! `PROVENANCE.md` for the verdicts and validity windows used here).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::{
	mock::*, AttestationPolicy, Attestations, DcapCollateral, Error, Event, NetworkPolicy,
	RevocationReason, RootCount, RootKind, VendorRoots,
};
use aicf_attestation_verify::{self as verify, TcbStatus, TcbStatusSet};
use aicf_primitives::{traits::EvidenceKind, ProviderId};
use frame_support::{assert_noop, assert_ok, dispatch::Pays, BoundedVec};
use sp_runtime::DispatchError;

/// Inside the SGX quote's collateral window (origin test time).
const T_SGX: u64 = 1_752_919_277;
/// Inside the TDX quote's collateral window.
const T_TDX: u64 = 1_752_919_234;
/// Start of the SGX collateral window (2025-06-19T10:56:11Z).
const SGX_WINDOW_START: u64 = 1_750_330_571;

const ALICE: AccountId = 1;
const BOB: AccountId = 2;

fn provider(n: u8) -> ProviderId {
	ProviderId([n; 12])
}

fn bounded<S: frame_support::traits::Get<u32>>(v: Vec<u8>) -> BoundedVec<u8, S> {
	v.try_into().unwrap()
}

fn pin(kind: RootKind, rel: &str) {
	assert_ok!(Attestation::add_root(RuntimeOrigin::root(), kind, bounded(fixture(rel))));
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Attestation(e) => Some(e),
			_ => None,
		})
		.collect()
}

const INTEL_ROOT: &str = "dcap/intel/TrustedRootCA.der";
const SGX_QUOTE: &str = "dcap/dcap-qvl/sample/sgx_quote";
const SGX_COLLATERAL: &str = "dcap/dcap-qvl/sample/sgx_quote_collateral.json";
const TDX_QUOTE: &str = "dcap/dcap-qvl/sample/tdx_quote";
const TDX_COLLATERAL: &str = "dcap/dcap-qvl/sample/tdx_quote_collateral.json";
const MILAN_ARK: &str = "sev-snp/virtee-sev/src/certs/snp/builtin/milan/ark.pem";
const GENOA_ARK: &str = "sev-snp/virtee-sev/src/certs/snp/builtin/genoa/ark.pem";
const CCA_TOKEN: &str = "cca/rust-ccatoken/testdata/cca-token-01.cbor";
const CPAK: &str = "cca/ccatoken/realm/testvectors/tf-rmm/cca_platform.pub";

/// The Milan report with its VCEK and ASK, as one SEV-SNP evidence bundle.
fn sev_bundle() -> Vec<u8> {
	let mut b = hex_fixture("sev-snp/virtee-sev/tests/certs_data/report_milan.hex");
	b.extend(fixture("sev-snp/virtee-sev/tests/certs_data/vcek_milan.der"));
	let ask =
		verify::to_der(&fixture("sev-snp/virtee-sev/src/certs/snp/builtin/milan/ask.pem")).unwrap();
	b.extend(ask);
	b
}

/// The report data a fixture carries (its first 32 bytes are what a provider would bind).
fn binding_of_report(report_data_hex: &str) -> Vec<u8> {
	hex::decode(report_data_hex).unwrap()[..32].to_vec()
}

const SEV_REPORT_DATA: &str = "d447b55d197491bfe15cf298f9de9986b7a7c4be2468b4f6e2d53b71d7c645810b0f2cdfca0040433be063fc1a8293f0f3f8dae7b79fecb3d1cd82bd6a93ebfd";
const SEV_MEASUREMENT: &str = "7a1e5c266c0108dbc9bb94fa926951320940915d0aafb42464bd88b579ea158d3e1a0dc39b2c60bd95b9c480cd81841f";

fn accept_sgx_tcb() {
	let mut policy = NetworkPolicy::<Test>::get();
	policy.accepted_tcb = TcbStatusSet::DEFAULT.with(TcbStatus::ConfigurationAndSwHardeningNeeded);
	assert_ok!(Attestation::set_policy(RuntimeOrigin::root(), policy));
}

/// The first 32 bytes of a quote's report data: SGX v3 quotes carry it at 48 (header) + 320
/// (offset in the enclave report), TDX v4 quotes at 48 + 520 (offset in the TD report).
fn quote_report_data(quote: &[u8]) -> Vec<u8> {
	let at = if quote[4..8] == [0x81, 0, 0, 0] { 48 + 520 } else { 48 + 320 };
	quote[at..at + 32].to_vec()
}

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
		assert_eq!(events().last(), Some(&Event::RootAdded { kind: RootKind::IntelSgx, hash }));
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
		assert_eq!(events().last(), Some(&Event::RootRemoved { kind: RootKind::IntelSgx, hash }));
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
		// Two DER values are not one root.
		let mut two = fixture(INTEL_ROOT);
		two.extend(fixture(INTEL_ROOT));
		assert_noop!(add(two), Error::<Test>::MalformedRoot);
		// A well-formed DER value longer than MaxRootLen (4 096).
		let mut long = vec![0x04, 0x82, 0x13, 0x88];
		long.extend(vec![0u8; 5_000]);
		assert_noop!(add(long), Error::<Test>::RootTooLong);
		// MaxRootsPerKind (4).
		for i in 0..4u8 {
			assert_ok!(add(vec![0x04, 0x01, i]));
		}
		assert_noop!(add(vec![0x04, 0x01, 9]), Error::<Test>::TooManyRoots);
	});
}

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
		policy.allowed_measurements = bounded_measurements(vec![[9; 48]]);
		assert_ok!(Attestation::set_policy(RuntimeOrigin::root(), policy.clone()));
		assert_noop!(
			Attestation::verify_evidence(EvidenceKind::SgxDcap, &quote, &binding, T_SGX),
			Error::<Test>::MeasurementNotAllowed
		);
		policy.allowed_measurements = Default::default();
		policy.max_age_secs = 60;
		assert_ok!(Attestation::set_policy(RuntimeOrigin::root(), policy));
		assert_noop!(
			Attestation::verify_evidence(EvidenceKind::SgxDcap, &quote, &binding, T_SGX),
			Error::<Test>::EvidenceTooOld
		);
	});
}

fn bounded_measurements(
	v: Vec<[u8; 48]>,
) -> BoundedVec<[u8; 48], frame_support::traits::ConstU32<8>> {
	v.try_into().unwrap()
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

/// Pin the Milan ARK and record a verified SEV-SNP attestation for `p`.
fn record_sev(p: ProviderId) -> verify::Verified {
	pin(RootKind::AmdArk, MILAN_ARK);
	record_sev_again(p)
}

#[test]
fn verified_attestations_go_to_the_registry_with_hash_version_and_expiry() {
	new_test_ext().execute_with(|| {
		MockRegistry::add(provider(1), ALICE);
		record_sev(provider(1));
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
		let v = record_sev_again(provider(1));
		assert_eq!(MockRegistry::attestation(&provider(1)).unwrap().version, 2);
		assert_eq!(Attestations::<Test>::get(provider(1)).unwrap().tcb_status, v.tcb_status);

		// Evidence expiring within the next block counts for nothing.
		let mut short = v.clone();
		short.not_after = Now::get() + 5;
		assert_noop!(
			Attestation::record(provider(1), EvidenceKind::SevSnp, &[1], &short, Now::get()),
			Error::<Test>::EvidenceExpired
		);
		short.not_after = Now::get() + 600;
		assert_ok!(Attestation::record(
			provider(1),
			EvidenceKind::SevSnp,
			&[1],
			&short,
			Now::get()
		));
		assert_eq!(MockRegistry::attestation(&provider(1)).unwrap().expires_at, 5 + 100);
	});
}

/// Record a verified SEV-SNP attestation for `p` as `submit_attestation` does after
/// verification (the ARK already pinned).
fn record_sev_again(p: ProviderId) -> verify::Verified {
	let bundle = sev_bundle();
	let v = Attestation::verify_evidence(
		EvidenceKind::SevSnp,
		&bundle,
		&binding_of_report(SEV_REPORT_DATA),
		Now::get(),
	)
	.unwrap();
	assert_ok!(Attestation::record(p, EvidenceKind::SevSnp, &bundle, &v, Now::get()));
	v
}

#[test]
fn revalidate_revokes_after_a_policy_change_or_expiry_and_is_free_then() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Attestation::revalidate(RuntimeOrigin::signed(BOB), provider(1)),
			Error::<Test>::NoAttestation
		);
		MockRegistry::add(provider(1), ALICE);
		MockRegistry::add(provider(2), ALICE);
		record_sev(provider(1));
		record_sev_again(provider(2));
		assert_noop!(
			Attestation::revalidate(RuntimeOrigin::signed(BOB), provider(1)),
			Error::<Test>::StillValid
		);

		// Governance now allows only another measurement.
		let mut policy = NetworkPolicy::<Test>::get();
		policy.allowed_measurements = bounded_measurements(vec![[1; 48]]);
		assert_noop!(
			Attestation::set_policy(RuntimeOrigin::signed(ALICE), policy.clone()),
			DispatchError::BadOrigin
		);
		assert_ok!(Attestation::set_policy(RuntimeOrigin::root(), policy));
		assert_eq!(events().last(), Some(&Event::PolicySet));
		let info = Attestation::revalidate(RuntimeOrigin::signed(BOB), provider(1)).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		assert!(MockRegistry::attestation(&provider(1)).is_none());
		assert!(Attestations::<Test>::get(provider(1)).is_none());
		assert_eq!(
			events().last(),
			Some(&Event::AttestationRevoked {
				provider: provider(1),
				reason: RevocationReason::PolicyChanged
			})
		);

		// Back to the default policy; provider 2's attestation lapses with time.
		assert_ok!(Attestation::set_policy(RuntimeOrigin::root(), AttestationPolicy::default()));
		System::set_block_number(1 + MaxValidityBlocks::get());
		assert_ok!(Attestation::revalidate(RuntimeOrigin::signed(BOB), provider(2)));
		assert_eq!(
			events().last(),
			Some(&Event::AttestationRevoked {
				provider: provider(2),
				reason: RevocationReason::Expired
			})
		);
	});
}

#[test]
fn governance_revokes_attestations() {
	new_test_ext().execute_with(|| {
		MockRegistry::add(provider(1), ALICE);
		assert_noop!(
			Attestation::force_revoke(RuntimeOrigin::root(), provider(1)),
			Error::<Test>::NoAttestation
		);
		record_sev(provider(1));
		assert_noop!(
			Attestation::force_revoke(RuntimeOrigin::signed(ALICE), provider(1)),
			DispatchError::BadOrigin
		);
		assert_ok!(Attestation::force_revoke(RuntimeOrigin::root(), provider(1)));
		assert!(MockRegistry::attestation(&provider(1)).is_none());
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
	];
	let mut seen = std::collections::BTreeSet::new();
	for (from, to) in cases {
		assert!(seen.insert(format!("{to:?}")), "two verifier errors share a pallet error");
		assert_eq!(crate::Pallet::<Test>::map_error(from), to.into());
	}
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

/// 2026-01-01T00:00:00Z.
const T2026: u64 = 1_767_225_600;

fn dev_cert(p: ProviderId, families: &[&str]) -> Vec<u8> {
	verify::dev_facility::issue(
		verify::provider_binding(&p.0),
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

#[test]
fn the_committed_benchmark_certificate_is_the_development_facility_s() {
	let leaf = verify::dev_facility::issue(
		verify::provider_binding(&[0xBE; 12]),
		"AICF development facility",
		&["clifford", "t-depth"],
		verify::dev_facility::DEV_ROOT_NOT_BEFORE,
		verify::dev_facility::DEV_ROOT_NOT_AFTER,
	)
	.unwrap();
	assert_eq!(
		&include_bytes!("../dev/quantum-bench-leaf.der")[..],
		&leaf[..],
		"regenerate pallets/attestation/dev/quantum-bench-leaf.der"
	);
}

#[test]
fn a_quantum_identity_certificate_attests_its_provider_end_to_end() {
	new_test_ext().execute_with(|| {
		Now::set(T2026);
		assert_ok!(Attestation::add_root(
			RuntimeOrigin::root(),
			RootKind::QuantumFacility,
			bounded(crate::vendor_roots::DEV_QUANTUM_FACILITY_ROOT.to_vec())
		));
		MockRegistry::add(provider(1), ALICE);
		MockRegistry::add(provider(2), BOB);
		let cert = dev_cert(provider(1), &["clifford", "t-depth"]);

		// Provider 2 cannot use provider 1's certificate.
		assert_noop!(
			Attestation::submit_attestation(
				RuntimeOrigin::signed(BOB),
				provider(2),
				EvidenceKind::Quantum,
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
				bounded(cert.clone())
			),
			Error::<Test>::NoPinnedRoot
		);

		assert_ok!(Attestation::submit_attestation(
			RuntimeOrigin::signed(ALICE),
			provider(1),
			EvidenceKind::Quantum,
			bounded(cert.clone())
		));
		let rec = MockRegistry::attestation(&provider(1)).unwrap();
		assert_eq!(rec.kind, EvidenceKind::Quantum);
		assert_eq!(rec.hash, verify::evidence_hash(&cert));
		assert_eq!(rec.expires_at, 1 + MaxValidityBlocks::get());
		let stored = Attestations::<Test>::get(provider(1)).unwrap();
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
				bounded(cert)
			),
			Error::<Test>::NoAcceptedTrapFamily
		);
		assert_ok!(Attestation::revalidate(RuntimeOrigin::signed(BOB), provider(1)));
		assert!(MockRegistry::attestation(&provider(1)).is_none());

		// An expired certificate.
		Now::set(T2026 + 400 * 86_400);
		assert_noop!(
			Attestation::submit_attestation(
				RuntimeOrigin::signed(ALICE),
				provider(1),
				EvidenceKind::Quantum,
				bounded(dev_cert(provider(1), &["magic-state"]))
			),
			Error::<Test>::EvidenceExpired
		);
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
