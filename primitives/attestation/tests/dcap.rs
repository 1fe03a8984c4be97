//! Intel SGX / TDX DCAP verification against the quotes and Intel PCS collateral in
//! `../shared/fixtures/dcap` (see its `PROVENANCE.md` for the verdicts and validity windows),
//! checked against dcap-qvl on every fixture pair, plus forged chains under a test root for the
//! cases no real quote exhibits (debug, revoked, TD attributes).

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

mod fixtures;

use aicf_attestation_verify::{
	dcap::{
		self, quote_collateral_key, verify, verify_collateral, verify_quote, VerifiedCollateral,
	},
	AttestationError as E, EvidenceKind, ParseRegion, Policy, TcbStatus, TcbStatusSet, TdxWorkload,
	Workload, WorkloadRule,
};
use codec::{Decode, Encode, MaxEncodedLen};

/// The bytes of the fixture at `rel` below `dcap/` in the fixtures folder.
fn read(rel: &str) -> Vec<u8> {
	fixtures::read(&format!("dcap/{rel}"))
}

fn root() -> Vec<u8> {
	read("intel/TrustedRootCA.der")
}
fn sgx_quote() -> Vec<u8> {
	read("dcap-qvl/sample/sgx_quote")
}
fn sgx_collateral() -> Vec<u8> {
	read("dcap-qvl/sample/sgx_quote_collateral.json")
}
fn tdx_quote() -> Vec<u8> {
	read("dcap-qvl/sample/tdx_quote")
}
fn tdx_collateral() -> Vec<u8> {
	read("dcap-qvl/sample/tdx_quote_collateral.json")
}
fn tdx_hex_quote() -> Vec<u8> {
	let text = String::from_utf8(read("dcap-qvl/sample/tdx-quote.hex")).unwrap();
	hex::decode(text.trim().trim_start_matches("0x")).unwrap()
}

// Validity windows from PROVENANCE.md.
/// SGX pair: TCB info issueDate 2025-06-19T10:56:11Z.
const SGX_START: u64 = 1_750_330_571;
/// SGX pair: QE identity nextUpdate 2025-07-19T10:01:18Z.
const SGX_END: u64 = 1_752_919_278;
/// TDX pair: QE identity issueDate 2025-06-19T10:32:27Z.
const TDX_START: u64 = 1_750_329_147;
/// TDX pair: PCK CRL nextUpdate 2025-07-19T10:00:35Z (current strictly before it).
const TDX_CRL_NEXT: u64 = 1_752_919_235;
/// Both pairs: root CA CRL thisUpdate 2025-03-20T11:21:57Z, their oldest component.
const ROOT_CRL_ISSUED: u64 = 1_742_469_717;
/// SGX pair: QE identity issueDate 2025-06-19T10:01:18Z, its oldest grading component.
const SGX_QE_ISSUED: u64 = 1_750_327_278;
/// TDX pair: PCK CRL thisUpdate 2025-06-19T10:00:35Z, its oldest grading component.
const TDX_PCK_CRL_ISSUED: u64 = 1_750_327_235;
/// The origin's evaluation times.
const SGX_T: u64 = 1_752_919_277;
const TDX_T: u64 = 1_752_919_234;

/// Report data offsets: SGX v3 body at 48, report data at +320; TDX v4 body at 48, report data at
/// +520.
fn report_data(quote: &[u8]) -> [u8; 64] {
	let off = if quote[4] == 0x81 { 48 + 520 } else { 48 + 320 };
	quote[off..off + 64].try_into().unwrap()
}

fn accept_all() -> Policy {
	Policy { accepted_tcb: TcbStatusSet(0xFF), allow_debug: true, ..Policy::default() }
}

fn policy_accepting(s: TcbStatus) -> Policy {
	Policy { accepted_tcb: TcbStatusSet::DEFAULT.with(s), ..Policy::default() }
}

fn sgx_verified_collateral() -> VerifiedCollateral {
	verify_collateral(&sgx_collateral(), &root(), SGX_T).unwrap()
}
fn tdx_verified_collateral() -> VerifiedCollateral {
	verify_collateral(&tdx_collateral(), &root(), TDX_T).unwrap()
}

fn dcap_qvl_collateral(json: &[u8]) -> dcap_qvl::QuoteCollateralV3 {
	serde_json::from_slice(json).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Valid quotes
// ---------------------------------------------------------------------------------------------

#[test]
fn sgx_quote_is_rejected_by_default_policy_with_its_tcb_status() {
	let q = sgx_quote();
	let rd = report_data(&q);
	let r = verify(&q, &sgx_collateral(), &root(), &Policy::default(), &rd[..32], SGX_T);
	assert_eq!(r, Err(E::TcbStatus(TcbStatus::ConfigurationAndSwHardeningNeeded)));
}

#[test]
fn sgx_quote_verifies_when_policy_accepts_configuration_and_sw_hardening_needed() {
	let q = sgx_quote();
	let rd = report_data(&q);
	let policy = policy_accepting(TcbStatus::ConfigurationAndSwHardeningNeeded);
	let v = verify(&q, &sgx_collateral(), &root(), &policy, &rd[..32], SGX_T).unwrap();
	assert_eq!(v.kind, EvidenceKind::SgxDcap);
	assert_eq!(v.tcb_status, TcbStatus::ConfigurationAndSwHardeningNeeded);
	assert!(!v.debug);
	assert_eq!(v.report_data, rd);
	// MRENCLAVE as dcap-qvl reads it, zero-padded to 48 bytes.
	let parsed = dcap_qvl::quote::Quote::parse(&q).unwrap();
	let mr_enclave = parsed.report.as_sgx().unwrap().mr_enclave;
	assert_eq!(&v.measurement[..32], &mr_enclave[..]);
	assert_eq!(&v.measurement[32..], &[0u8; 16][..]);
	// The age of the collateral is that of its oldest grading component, the QE identity
	// (not the yearly root CA CRL).
	assert_eq!(v.issued_at, Some(SGX_QE_ISSUED));
	assert_eq!(v.not_after, SGX_END);
	assert!(v.trap_families.is_empty());
}

#[test]
fn tdx_quote_verifies_up_to_date_under_default_policy() {
	let q = tdx_quote();
	let rd = report_data(&q);
	let v = verify(&q, &tdx_collateral(), &root(), &Policy::default(), &rd, TDX_T).unwrap();
	assert_eq!(v.kind, EvidenceKind::TdxDcap);
	assert_eq!(v.tcb_status, TcbStatus::UpToDate);
	assert!(!v.debug);
	assert_eq!(v.report_data, rd);
	let parsed = dcap_qvl::quote::Quote::parse(&q).unwrap();
	assert_eq!(v.measurement, parsed.report.as_td10().unwrap().mr_td);
	assert_eq!(v.issued_at, Some(TDX_PCK_CRL_ISSUED));
	assert_eq!(v.not_after, TDX_CRL_NEXT - 1);
}

#[test]
fn verified_collateral_describes_the_fixture_and_round_trips_through_scale() {
	let c = sgx_verified_collateral();
	assert_eq!(c.tee, dcap::DcapTee::Sgx);
	assert_eq!(c.fmspc, [0x00, 0xA0, 0x67, 0x11, 0x00, 0x00]);
	assert_eq!(c.tcb_evaluation_data_number, 17);
	assert_eq!(c.issued_at, SGX_START);
	assert_eq!(c.issue_dates.newest(), SGX_START);
	assert_eq!(c.issue_dates.oldest(), SGX_QE_ISSUED);
	assert_eq!(c.issue_dates.root_ca_crl, ROOT_CRL_ISSUED);
	assert_eq!(c.issue_dates.tcb_info, SGX_START);
	assert_eq!(c.not_after, SGX_END);
	assert!(c.revoked_pck_serials.is_empty());
	let t = tdx_verified_collateral();
	assert_eq!(t.tee, dcap::DcapTee::Tdx);
	assert_eq!(t.fmspc, [0xB0, 0xC0, 0x6F, 0, 0, 0]);
	assert_eq!(t.revoked_pck_serials.len(), 44);
	assert_eq!(t.tcb_levels.len(), 2);
	assert_eq!(t.tdx_module_identities.len(), 2);
	for c in [c, t] {
		let bytes = c.encode();
		assert!(bytes.len() <= VerifiedCollateral::max_encoded_len());
		assert_eq!(VerifiedCollateral::decode(&mut &bytes[..]).unwrap(), c);
	}
}

#[test]
fn scale_encoded_collateral_verifies_like_json() {
	for (json, t) in [(sgx_collateral(), SGX_T), (tdx_collateral(), TDX_T)] {
		let scale = dcap_qvl_collateral(&json).encode();
		assert_ne!(scale.first(), Some(&b'{'));
		assert_eq!(
			verify_collateral(&scale, &root(), t).unwrap(),
			verify_collateral(&json, &root(), t).unwrap()
		);
	}
}

#[test]
fn quote_collateral_key_selects_the_matching_collateral() {
	assert_eq!(quote_collateral_key(&sgx_quote()).unwrap(), sgx_verified_collateral().key());
	assert_eq!(quote_collateral_key(&tdx_quote()).unwrap(), tdx_verified_collateral().key());
	// Same FMSPC and PCK CA as the TDX collateral.
	assert_eq!(quote_collateral_key(&tdx_hex_quote()).unwrap(), tdx_verified_collateral().key());
	assert_ne!(quote_collateral_key(&sgx_quote()).unwrap(), tdx_verified_collateral().key());
}

#[test]
fn split_api_verifies_quote_against_stored_collateral() {
	let c = tdx_verified_collateral();
	let stored = c.encode();
	let c = VerifiedCollateral::decode(&mut &stored[..]).unwrap();
	let q = tdx_quote();
	let rd = report_data(&q);
	let v = verify_quote(&q, &c, &root(), &Policy::default(), &rd[..32], TDX_T).unwrap();
	assert_eq!(v.tcb_status, TcbStatus::UpToDate);
}

// ---------------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------------

#[test]
fn sgx_pair_is_valid_exactly_inside_its_window() {
	let q = sgx_quote();
	let rd = report_data(&q);
	let p = accept_all();
	let run = |t| verify(&q, &sgx_collateral(), &root(), &p, &rd, t).map(|v| v.tcb_status);
	assert_eq!(run(SGX_START - 1), Err(E::NotYetValid));
	assert!(run(SGX_START).is_ok());
	assert!(run(SGX_END).is_ok());
	assert_eq!(run(SGX_END + 1), Err(E::Expired));
	assert_eq!(run(0), Err(E::NotYetValid));
	assert_eq!(run(u64::MAX), Err(E::Expired));
}

#[test]
fn tdx_pair_is_valid_exactly_inside_its_window() {
	let q = tdx_quote();
	let rd = report_data(&q);
	let p = accept_all();
	let run = |t| verify(&q, &tdx_collateral(), &root(), &p, &rd, t).map(|v| v.tcb_status);
	assert_eq!(run(TDX_START - 1), Err(E::NotYetValid));
	assert!(run(TDX_START).is_ok());
	assert!(run(TDX_CRL_NEXT - 1).is_ok());
	assert_eq!(run(TDX_CRL_NEXT), Err(E::Expired));
}

#[test]
fn stored_collateral_stops_counting_after_its_window() {
	let q = tdx_quote();
	let rd = report_data(&q);
	let c = tdx_verified_collateral();
	let p = Policy::default();
	assert_eq!(verify_quote(&q, &c, &root(), &p, &rd, TDX_CRL_NEXT), Err(E::Expired));
	assert_eq!(verify_quote(&q, &c, &root(), &p, &rd, TDX_START - 1), Err(E::NotYetValid));
}

#[test]
fn too_old_collateral_is_refused_by_max_age() {
	let q = tdx_quote();
	let rd = report_data(&q);
	// The age is measured from the oldest grading component (here the PCK CRL), not the
	// newest (the QE identity): a fresh TCB info or QE identity cannot make an older CRL look
	// current. The yearly root CA CRL does not count.
	let age = TDX_T - TDX_PCK_CRL_ISSUED;
	let p = Policy { max_age_secs: age - 1, ..Policy::default() };
	assert_eq!(verify(&q, &tdx_collateral(), &root(), &p, &rd, TDX_T), Err(E::TooOld));
	let p = Policy { max_age_secs: age, ..Policy::default() };
	assert!(verify(&q, &tdx_collateral(), &root(), &p, &rd, TDX_T).is_ok());
	assert!(TDX_T - TDX_START < age - 1, "from the newest component it would pass");
	const { assert!(TDX_PCK_CRL_ISSUED > ROOT_CRL_ISSUED) };
}

// ---------------------------------------------------------------------------------------------
// Policy and binding
// ---------------------------------------------------------------------------------------------

fn only(rules: Vec<WorkloadRule>) -> Policy {
	Policy { workloads: rules, any_workload: false, ..Policy::default() }
}

/// The TD's workload is every measurement register as dcap-qvl reads them; a rule must match
/// each of MRTD, MRCONFIGID, MROWNER, MROWNERCONFIG and RTMR0–3 exactly.
#[test]
fn td_workload_rules_pin_every_measurement_register() {
	let q = tdx_quote();
	let rd = report_data(&q);
	let v = verify(&q, &tdx_collateral(), &root(), &Policy::default(), &rd, TDX_T).unwrap();
	let parsed = dcap_qvl::quote::Quote::parse(&q).unwrap();
	let td = parsed.report.as_td10().unwrap();
	let Workload::Tdx(w) = v.workload else { panic!("not a TD: {:?}", v.workload) };
	assert_eq!(w.mr_td, td.mr_td);
	assert_eq!(w.mr_config_id, td.mr_config_id);
	assert_eq!(w.mr_owner, td.mr_owner);
	assert_eq!(w.mr_owner_config, td.mr_owner_config);
	assert_eq!(w.rtmr, [td.rt_mr0, td.rt_mr1, td.rt_mr2, td.rt_mr3]);
	assert_eq!(w.xfam.to_le_bytes(), td.xfam);
	assert_ne!(w.xfam & 0xE0, 0, "the fixture's TD may use AVX-512 (XFAM bits 5-7)");
	assert_ne!(w.rtmr[1], [0; 48], "the fixture's kernel is measured into RTMR1");
	// read without verification, as `aicf attest workload` does
	assert_eq!(aicf_attestation_verify::workload_of(EvidenceKind::TdxDcap, &q), Ok(v.workload));
	assert_eq!(
		aicf_attestation_verify::workload_of(EvidenceKind::SgxDcap, &q),
		Err(E::Unsupported)
	);
	assert_eq!(
		aicf_attestation_verify::workload_of(EvidenceKind::TdxDcap, &q[..47]),
		Err(E::Parse(ParseRegion::Header))
	);

	let exact = WorkloadRule::exact(&v.workload).unwrap();
	assert!(verify(&q, &tdx_collateral(), &root(), &only(vec![exact]), &rd, TDX_T).is_ok());
	assert_eq!(
		verify(&q, &tdx_collateral(), &root(), &only(vec![]), &rd, TDX_T),
		Err(E::Measurement)
	);
	let flips: [fn(&mut TdxWorkload); 9] = [
		|w| w.mr_td[0] ^= 1,
		|w| w.xfam ^= 1 << 17,
		|w| w.mr_config_id[0] ^= 1,
		|w| w.mr_owner[0] ^= 1,
		|w| w.mr_owner_config[0] ^= 1,
		|w| w.rtmr[0][47] ^= 1,
		|w| w.rtmr[1][47] ^= 1,
		|w| w.rtmr[2][47] ^= 1,
		|w| w.rtmr[3][47] ^= 1,
	];
	for flip in flips {
		let mut other = w;
		flip(&mut other);
		let rule = WorkloadRule::Tdx(other);
		assert_eq!(
			verify(&q, &tdx_collateral(), &root(), &only(vec![rule]), &rd, TDX_T),
			Err(E::Measurement),
			"{other:?}"
		);
		assert!(
			verify(&q, &tdx_collateral(), &root(), &only(vec![rule, exact]), &rd, TDX_T).is_ok()
		);
	}
}

/// The enclave's workload is MRENCLAVE, MRSIGNER, ISVPRODID and ISVSVN as dcap-qvl reads
/// them; a rule admits its signer's product from a minimum ISVSVN, optionally one MRENCLAVE.
#[test]
fn sgx_workload_rules_pin_signer_product_minimum_svn_and_optionally_the_enclave() {
	let q = sgx_quote();
	let rd = report_data(&q);
	let tcb = TcbStatusSet::DEFAULT.with(TcbStatus::ConfigurationAndSwHardeningNeeded);
	let with = |rules| Policy { accepted_tcb: tcb, ..only(rules) };
	let v = verify(&q, &sgx_collateral(), &root(), &with(vec![]), &rd[..32], SGX_T);
	assert_eq!(v, Err(E::Measurement));
	let any = Policy { accepted_tcb: tcb, ..Policy::default() };
	let v = verify(&q, &sgx_collateral(), &root(), &any, &rd[..32], SGX_T).unwrap();
	let parsed = dcap_qvl::quote::Quote::parse(&q).unwrap();
	let e = parsed.report.as_sgx().unwrap();
	let Workload::Sgx(w) = v.workload else { panic!("not an enclave: {:?}", v.workload) };
	assert_eq!(w.mr_enclave, e.mr_enclave);
	assert_eq!(w.mr_signer, e.mr_signer);
	assert_eq!(w.isv_prod_id, e.isv_prod_id);
	assert_eq!(w.isv_svn, e.isv_svn);
	// dcap-qvl leaves the KSS fields in its reserved arrays: CONFIGID is the last 64 bytes of
	// `reserved3`, CONFIGSVN the first two of `reserved4`.
	assert_eq!(w.config_id[..], e.reserved3[32..]);
	assert_eq!(w.config_svn.to_le_bytes()[..], e.reserved4[..2]);
	assert_eq!(w.xfrm.to_le_bytes()[..], e.attributes[8..]);
	assert_eq!(aicf_attestation_verify::workload_of(EvidenceKind::SgxDcap, &q), Ok(v.workload));

	let rule =
		|prod: u16, min_svn: u16, signer: [u8; 32], enclave: Option<[u8; 32]>| WorkloadRule::Sgx {
			mr_signer: signer,
			isv_prod_id: prod,
			min_isv_svn: min_svn,
			mr_enclave: enclave,
			config_id: None,
		};
	let mut other_config = w.config_id;
	other_config[63] ^= 1;
	let with_config = |config_id| WorkloadRule::Sgx {
		mr_signer: w.mr_signer,
		isv_prod_id: w.isv_prod_id,
		min_isv_svn: 0,
		mr_enclave: None,
		config_id: Some(config_id),
	};
	let mut other = w.mr_signer;
	other[0] ^= 1;
	let mut other_enclave = w.mr_enclave;
	other_enclave[31] ^= 1;
	let admitted = [
		rule(w.isv_prod_id, w.isv_svn, w.mr_signer, None),
		rule(w.isv_prod_id, 0, w.mr_signer, Some(w.mr_enclave)),
		with_config(w.config_id),
		WorkloadRule::exact(&v.workload).unwrap(),
	];
	for r in admitted {
		assert!(verify(&q, &sgx_collateral(), &root(), &with(vec![r]), &rd[..32], SGX_T).is_ok());
	}
	let refused = [
		rule(w.isv_prod_id, w.isv_svn + 1, w.mr_signer, None),
		rule(w.isv_prod_id.wrapping_add(1), 0, w.mr_signer, None),
		rule(w.isv_prod_id, 0, other, None),
		rule(w.isv_prod_id, 0, w.mr_signer, Some(other_enclave)),
		// launched with another KSS configuration
		with_config(other_config),
	];
	for r in refused {
		assert_eq!(
			verify(&q, &sgx_collateral(), &root(), &with(vec![r]), &rd[..32], SGX_T),
			Err(E::Measurement),
			"{r:?}"
		);
	}
	// a TD rule never admits an enclave
	let td = TdxWorkload {
		mr_td: v.measurement,
		mr_config_id: [0; 48],
		mr_owner: [0; 48],
		mr_owner_config: [0; 48],
		rtmr: [[0; 48]; 4],
		xfam: 0,
	};
	assert_eq!(
		verify(
			&q,
			&sgx_collateral(),
			&root(),
			&with(vec![WorkloadRule::Tdx(td)]),
			&rd[..32],
			SGX_T
		),
		Err(E::Measurement)
	);
}

#[test]
fn wrong_or_empty_binding_is_refused() {
	let q = tdx_quote();
	let mut rd = report_data(&q);
	let p = Policy::default();
	assert_eq!(verify(&q, &tdx_collateral(), &root(), &p, &[], TDX_T), Err(E::ReportDataBinding));
	rd[5] ^= 1;
	assert_eq!(verify(&q, &tdx_collateral(), &root(), &p, &rd, TDX_T), Err(E::ReportDataBinding));
	let binding = aicf_attestation_verify::provider_binding(b"someone else");
	assert_eq!(
		verify(&q, &tdx_collateral(), &root(), &p, &binding, TDX_T),
		Err(E::ReportDataBinding)
	);
}

#[test]
fn out_of_date_qe_makes_the_platform_out_of_date() {
	let q = tdx_quote();
	let rd = report_data(&q);
	let mut c = tdx_verified_collateral();
	for l in c.qe_identity.tcb_levels.iter_mut() {
		l.status = TcbStatus::OutOfDate;
	}
	let p = Policy::default();
	assert_eq!(
		verify_quote(&q, &c, &root(), &p, &rd, TDX_T),
		Err(E::TcbStatus(TcbStatus::OutOfDate))
	);
	let v = verify_quote(&q, &c, &root(), &policy_accepting(TcbStatus::OutOfDate), &rd, TDX_T);
	assert_eq!(v.unwrap().tcb_status, TcbStatus::OutOfDate);
}

#[test]
fn out_of_date_platform_level_is_refused() {
	let q = sgx_quote();
	let rd = report_data(&q);
	let mut c = sgx_verified_collateral();
	for l in c.tcb_levels.iter_mut() {
		l.status = TcbStatus::OutOfDate;
	}
	assert_eq!(
		verify_quote(&q, &c, &root(), &Policy::default(), &rd, SGX_T),
		Err(E::TcbStatus(TcbStatus::OutOfDate))
	);
}

#[test]
fn revoked_tcb_is_refused_even_when_policy_accepts_everything() {
	let q = sgx_quote();
	let rd = report_data(&q);
	let mut c = sgx_verified_collateral();
	for l in c.tcb_levels.iter_mut() {
		l.status = TcbStatus::Revoked;
	}
	assert_eq!(
		verify_quote(&q, &c, &root(), &accept_all(), &rd, SGX_T),
		Err(E::TcbStatus(TcbStatus::Revoked))
	);
}

// ---------------------------------------------------------------------------------------------
// Collateral that does not fit the quote
// ---------------------------------------------------------------------------------------------

#[test]
fn tdx_hex_quote_matches_no_tcb_level_of_the_collateral() {
	let q = tdx_hex_quote();
	let rd = report_data(&q);
	assert_eq!(
		verify(&q, &tdx_collateral(), &root(), &accept_all(), &rd, TDX_T),
		Err(E::CollateralMismatch)
	);
}

#[test]
fn quote_with_collateral_of_the_other_tee_is_refused() {
	let q = sgx_quote();
	let rd = report_data(&q);
	assert_eq!(
		verify(&q, &tdx_collateral(), &root(), &accept_all(), &rd, TDX_T),
		Err(E::CollateralMismatch)
	);
	let q = tdx_quote();
	let rd = report_data(&q);
	assert_eq!(
		verify(&q, &sgx_collateral(), &root(), &accept_all(), &rd, SGX_T),
		Err(E::CollateralMismatch)
	);
}

#[test]
fn collateral_for_another_fmspc_or_qe_is_refused() {
	let q = sgx_quote();
	let rd = report_data(&q);
	let mut c = sgx_verified_collateral();
	c.fmspc[0] ^= 1;
	assert_eq!(
		verify_quote(&q, &c, &root(), &accept_all(), &rd, SGX_T),
		Err(E::CollateralMismatch)
	);
	let mut c = sgx_verified_collateral();
	c.qe_identity.mrsigner[0] ^= 1;
	assert_eq!(
		verify_quote(&q, &c, &root(), &accept_all(), &rd, SGX_T),
		Err(E::CollateralMismatch)
	);
	let mut c = sgx_verified_collateral();
	c.pck_ca_hash[0] ^= 1;
	assert_eq!(
		verify_quote(&q, &c, &root(), &accept_all(), &rd, SGX_T),
		Err(E::CollateralMismatch)
	);
}

#[test]
fn pck_certificate_on_the_crl_is_revoked() {
	// The fixture CRLs revoke neither fixture PCK certificate, so the stored CRL gets the
	// leaf's serial added (a forged, signed CRL is checked in `forged` below).
	let q = sgx_quote();
	let rd = report_data(&q);
	let mut c = sgx_verified_collateral();
	let serial = leaf_serial(&q);
	c.revoked_pck_serials.try_push(serial.try_into().unwrap()).unwrap();
	assert_eq!(verify_quote(&q, &c, &root(), &accept_all(), &rd, SGX_T), Err(E::Revoked));
}

fn pem_certs(quote: &[u8]) -> Vec<Vec<u8>> {
	let text = String::from_utf8_lossy(quote);
	let mut out = Vec::new();
	let mut rest = &text[..];
	while let Some(start) = rest.find("-----BEGIN CERTIFICATE-----") {
		let end = rest[start..].find("-----END CERTIFICATE-----").unwrap() + start + 25;
		out.push(pem_rfc7468::decode_vec(&rest.as_bytes()[start..end]).unwrap().1);
		rest = &rest[end..];
	}
	out
}

fn leaf_serial(quote: &[u8]) -> Vec<u8> {
	use der::Decode as _;
	let leaf = x509_cert::Certificate::from_der(&pem_certs(quote)[0]).unwrap();
	leaf.tbs_certificate().serial_number().as_bytes().to_vec()
}

// ---------------------------------------------------------------------------------------------
// Roots
// ---------------------------------------------------------------------------------------------

#[test]
fn amd_root_is_not_a_dcap_root() {
	let pem = fixtures::read("sev-snp/virtee-sev/src/certs/snp/builtin/milan/ark.pem");
	let amd = pem_rfc7468::decode_vec(&pem).unwrap().1;
	let q = sgx_quote();
	let rd = report_data(&q);
	assert_eq!(verify(&q, &sgx_collateral(), &amd, &accept_all(), &rd, SGX_T), Err(E::Chain));
	let c = sgx_verified_collateral();
	assert_eq!(verify_quote(&q, &c, &amd, &accept_all(), &rd, SGX_T), Err(E::Chain));
}

#[test]
fn intel_intermediate_is_not_a_root() {
	let q = sgx_quote();
	let rd = report_data(&q);
	let ca = pem_certs(&q)[1].clone();
	assert_eq!(verify(&q, &sgx_collateral(), &ca, &accept_all(), &rd, SGX_T), Err(E::Chain));
}

#[test]
fn self_made_p256_root_with_intel_name_does_not_verify_intel_collateral() {
	let fake = forge::resign_cert(&root(), Some(&forge::key(1)), &forge::key(1));
	let q = sgx_quote();
	let rd = report_data(&q);
	assert_eq!(verify(&q, &sgx_collateral(), &fake, &accept_all(), &rd, SGX_T), Err(E::Signature));
}

#[test]
fn garbage_root_is_a_certificate_parse_error() {
	assert_eq!(
		verify_collateral(&sgx_collateral(), b"not a certificate", SGX_T),
		Err(E::Parse(ParseRegion::Certificate))
	);
}

// ---------------------------------------------------------------------------------------------
// Flipped bytes
// ---------------------------------------------------------------------------------------------

fn flipped(data: &[u8], at: usize) -> Vec<u8> {
	let mut d = data.to_vec();
	d[at] ^= 0x01;
	d
}

/// Offsets in an SGX v3 quote.
mod sgx_off {
	pub const QE_SVN: usize = 8;
	pub const MR_ENCLAVE: usize = 48 + 64;
	pub const REPORT_DATA: usize = 48 + 320;
	pub const SIG: usize = 48 + 384 + 4;
	pub const ATT_KEY: usize = SIG + 64;
	pub const QE_REPORT: usize = ATT_KEY + 64;
	pub const QE_SIG: usize = QE_REPORT + 384;
	pub const QE_AUTH: usize = QE_SIG + 64 + 2;
}

#[test]
fn flipped_quote_bytes_are_refused_with_the_failing_check() {
	let q = sgx_quote();
	let rd = report_data(&q);
	let c = sgx_verified_collateral();
	let run = |q: &[u8]| verify_quote(q, &c, &root(), &accept_all(), &rd, SGX_T);
	assert!(run(&q).is_ok());
	// Header: signed by the attestation key.
	assert_eq!(run(&flipped(&q, sgx_off::QE_SVN)), Err(E::Signature));
	assert_eq!(run(&flipped(&q, 47)), Err(E::Signature));
	// Header fields the parser checks.
	assert_eq!(run(&flipped(&q, 0)), Err(E::Unsupported)); // version 2
	assert_eq!(run(&flipped(&q, 2)), Err(E::Unsupported)); // key type 3
	assert_eq!(run(&flipped(&q, 4)), Err(E::Unsupported)); // TEE type 1
	assert_eq!(run(&flipped(&q, 12)), Err(E::Unsupported)); // QE vendor
														 // Body.
	assert_eq!(run(&flipped(&q, sgx_off::MR_ENCLAVE)), Err(E::Signature));
	assert_eq!(run(&flipped(&q, sgx_off::REPORT_DATA + 40)), Err(E::Signature));
	// Signature data.
	assert_eq!(run(&flipped(&q, sgx_off::SIG + 10)), Err(E::Signature));
	assert_eq!(run(&flipped(&q, sgx_off::ATT_KEY + 10)), Err(E::Signature));
	assert_eq!(run(&flipped(&q, sgx_off::QE_REPORT + 100)), Err(E::Signature));
	assert_eq!(run(&flipped(&q, sgx_off::QE_SIG + 3)), Err(E::Signature));
	assert_eq!(run(&flipped(&q, sgx_off::QE_AUTH)), Err(E::Signature));
	// Signature data length: too long for the input, or leaving trailing bytes.
	assert_eq!(run(&flipped(&q, sgx_off::SIG - 4)), Err(E::Parse(ParseRegion::Signature)));
	// Zero padding after the signature data is accepted, anything else is not.
	let mut padded = q.clone();
	padded.extend_from_slice(&[0; 70]);
	assert!(run(&padded).is_ok());
	padded.push(1);
	assert_eq!(run(&padded), Err(E::Parse(ParseRegion::Signature)));
}

#[test]
fn flipped_certificate_chain_bytes_are_refused() {
	let q = sgx_quote();
	let rd = report_data(&q);
	let c = sgx_verified_collateral();
	let run = |q: &[u8]| verify_quote(q, &c, &root(), &accept_all(), &rd, SGX_T);
	let text = q.windows(5).position(|w| w == b"-----").unwrap();
	// PEM armour.
	assert_eq!(run(&flipped(&q, text + 5)), Err(E::Parse(ParseRegion::Certificate)));
	// Base64 of the leaf's TBS (serial number): the signature no longer covers it.
	let leaf_b64 = text + 28;
	let mut changed = q.clone();
	changed[leaf_b64 + 20] = if q[leaf_b64 + 20] == b'A' { b'B' } else { b'A' };
	let r = run(&changed);
	assert!(matches!(r, Err(E::Signature) | Err(E::Parse(ParseRegion::Certificate))), "{r:?}");
	// Every base64 character of the chain, changed: never accepted.
	let pem_end = q.len() - 1;
	for i in (leaf_b64..pem_end).step_by(7) {
		if !q[i].is_ascii_alphanumeric() {
			continue;
		}
		let mut m = q.clone();
		m[i] = if q[i] == b'A' { b'B' } else { b'A' };
		let r = run(&m);
		assert!(
			matches!(
				r,
				Err(E::Signature)
					| Err(E::Parse(ParseRegion::Certificate))
					| Err(E::Chain) | Err(E::CollateralMismatch)
					| Err(E::Unsupported)
			),
			"byte {i}: {r:?}"
		);
	}
	// The PCK CA and root parts: not the collateral's CA, not the pinned root.
	let certs = pem_certs(&q);
	assert_eq!(certs.len(), 3);
	let mut m = q.clone();
	// Inside the PCK CA's signature (its last base64 line).
	let i = find_nth(&q, b"-----END CERTIFICATE-----", 1) - 20;
	m[i] = if q[i] == b'A' { b'B' } else { b'A' };
	assert_eq!(run(&m), Err(E::CollateralMismatch));
	let mut m = q.clone();
	let i = q.len() - 60;
	m[i] = if q[i] == b'A' { b'B' } else { b'A' };
	assert_eq!(run(&m), Err(E::Chain));
}

fn find_nth(hay: &[u8], needle: &[u8], n: usize) -> usize {
	hay.windows(needle.len())
		.enumerate()
		.filter(|(_, w)| *w == needle)
		.nth(n)
		.map(|(i, _)| i)
		.unwrap()
}

fn edit_json(json: &[u8], field: &str, f: impl FnOnce(&str) -> String) -> Vec<u8> {
	let mut v: serde_json::Value = serde_json::from_slice(json).unwrap();
	let old = v[field].as_str().unwrap().to_string();
	v[field] = serde_json::Value::String(f(&old));
	serde_json::to_vec(&v).unwrap()
}

fn flip_hex_char(s: &str, at: usize) -> String {
	let mut b = s.as_bytes().to_vec();
	b[at] = if b[at] == b'0' { b'1' } else { b'0' };
	String::from_utf8(b).unwrap()
}

#[test]
fn flipped_collateral_bytes_are_refused() {
	let col = tdx_collateral();
	let run = |c: &[u8]| verify_collateral(c, &root(), TDX_T);
	assert!(run(&col).is_ok());
	// Signed JSON bodies.
	let c = edit_json(&col, "tcb_info", |s| {
		s.replace("\"tcbEvaluationDataNumber\":17", "\"tcbEvaluationDataNumber\":18")
	});
	assert_eq!(run(&c), Err(E::Signature));
	let c = edit_json(&col, "qe_identity", |s| s.replace("\"isvprodid\":2", "\"isvprodid\":3"));
	assert_eq!(run(&c), Err(E::Signature));
	// Signatures.
	assert_eq!(
		run(&edit_json(&col, "tcb_info_signature", |s| flip_hex_char(s, 70))),
		Err(E::Signature)
	);
	assert_eq!(
		run(&edit_json(&col, "qe_identity_signature", |s| flip_hex_char(s, 3))),
		Err(E::Signature)
	);
	// CRLs: a byte inside the signed part (the PCK CRL's last revoked serial, the root CRL's
	// issuer name).
	let pck_crl_len = dcap_qvl_collateral(&col).pck_crl.len();
	assert_eq!(
		run(&edit_json(&col, "pck_crl", |s| flip_hex_char(s, 2 * (pck_crl_len - 100)))),
		Err(E::Signature)
	);
	let root_crl_len = dcap_qvl_collateral(&col).root_ca_crl.len();
	assert_eq!(
		run(&edit_json(&col, "root_ca_crl", |s| flip_hex_char(s, 2 * root_crl_len - 10))),
		Err(E::Signature)
	);
	// The root CRL's issuer name: not the root's.
	assert_eq!(run(&edit_json(&col, "root_ca_crl", |s| flip_hex_char(s, 80))), Err(E::Chain));
	// Issuer chains.
	let c = edit_json(&col, "tcb_info_issuer_chain", |s| s.replacen("MII", "MIJ", 1));
	assert!(matches!(run(&c), Err(E::Parse(ParseRegion::Certificate)) | Err(E::Signature)));
	let c = edit_json(&col, "pck_crl_issuer_chain", |s| s.replacen("-----BEGIN", "-----BEGIM", 1));
	assert_eq!(run(&c), Err(E::Parse(ParseRegion::Certificate)));
	// Not collateral at all.
	assert_eq!(run(b"{\"tcb_info\": 1}"), Err(E::Parse(ParseRegion::Collateral)));
	assert_eq!(
		run(&edit_json(&col, "pck_crl", |_| "zz".into())),
		Err(E::Parse(ParseRegion::Collateral))
	);
}

// ---------------------------------------------------------------------------------------------
// Malformed input of any length
// ---------------------------------------------------------------------------------------------

/// A small deterministic generator (xorshift64*).
struct Rng(u64);
impl Rng {
	fn next(&mut self) -> u64 {
		self.0 ^= self.0 >> 12;
		self.0 ^= self.0 << 25;
		self.0 ^= self.0 >> 27;
		self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
	}
	fn bytes(&mut self, n: usize) -> Vec<u8> {
		(0..n).map(|_| self.next() as u8).collect()
	}
}

#[test]
fn truncated_quotes_of_every_length_are_parse_errors() {
	let c = sgx_verified_collateral();
	let p = accept_all();
	for q in [sgx_quote(), tdx_quote()] {
		let c = if q[4] == 0x81 { tdx_verified_collateral() } else { c.clone() };
		// Everything before the zero padding is needed.
		let needed = q.iter().rposition(|b| *b != 0).unwrap() + 1;
		for len in 0..needed {
			let r = verify_quote(&q[..len], &c, &root(), &p, &[1], SGX_T);
			assert!(matches!(r, Err(E::Parse(_))), "length {len}: {r:?}");
			assert!(quote_collateral_key(&q[..len]).is_err());
		}
	}
	assert_eq!(verify_quote(&[], &c, &root(), &p, &[1], SGX_T), Err(E::Parse(ParseRegion::Header)));
	assert_eq!(
		verify_quote(&sgx_quote()[..100], &c, &root(), &p, &[1], SGX_T),
		Err(E::Parse(ParseRegion::Body))
	);
	assert_eq!(
		verify_quote(&sgx_quote()[..sgx_off::SIG + 30], &c, &root(), &p, &[1], SGX_T),
		Err(E::Parse(ParseRegion::Signature))
	);
}

#[test]
fn random_and_mutated_input_never_panics_or_verifies() {
	let mut rng = Rng(0x1234_5678_9abc_def1);
	let c = sgx_verified_collateral();
	let p = accept_all();
	let sgx = sgx_quote();
	let tdx = tdx_quote();
	for len in (0..6000).step_by(13) {
		let data = rng.bytes(len);
		assert!(verify_quote(&data, &c, &root(), &p, &[1], SGX_T).is_err());
		assert!(quote_collateral_key(&data).is_err());
		assert!(verify_collateral(&data, &root(), SGX_T).is_err());
		// A valid header and random rest.
		let mut d = sgx[..48.min(len)].to_vec();
		d.extend_from_slice(&data[d.len().min(len)..]);
		assert!(verify_quote(&d, &c, &root(), &p, &[1], SGX_T).is_err());
		let mut d = tdx[..48.min(len)].to_vec();
		d.extend_from_slice(&data[d.len().min(len)..]);
		assert!(verify_quote(&d, &c, &root(), &p, &[1], SGX_T).is_err());
	}
	// Random single-byte corruptions anywhere in the quote.
	for _ in 0..300 {
		let at = (rng.next() as usize) % sgx.len();
		let mut m = sgx.clone();
		m[at] ^= (rng.next() as u8) | 1;
		assert!(verify_quote(&m, &c, &root(), &p, &report_data(&sgx), SGX_T).is_err(), "byte {at}");
	}
	// Collateral prefixes.
	let col = sgx_collateral();
	for len in (0..col.len()).step_by(97) {
		assert!(verify_collateral(&col[..len], &root(), SGX_T).is_err());
	}
	let scale = dcap_qvl_collateral(&col).encode();
	for len in (0..scale.len()).step_by(89) {
		assert!(verify_collateral(&scale[..len], &root(), SGX_T).is_err());
	}
}

// ---------------------------------------------------------------------------------------------
// Agreement with dcap-qvl
// ---------------------------------------------------------------------------------------------

fn our_status(s: TcbStatus) -> &'static str {
	match s {
		TcbStatus::UpToDate => "UpToDate",
		TcbStatus::SwHardeningNeeded => "SWHardeningNeeded",
		TcbStatus::ConfigurationNeeded => "ConfigurationNeeded",
		TcbStatus::ConfigurationAndSwHardeningNeeded => "ConfigurationAndSWHardeningNeeded",
		TcbStatus::OutOfDate => "OutOfDate",
		TcbStatus::OutOfDateConfigurationNeeded => "OutOfDateConfigurationNeeded",
		TcbStatus::Revoked => "Revoked",
		TcbStatus::NotApplicable => "NotApplicable",
	}
}

fn agree(quote: &[u8], collateral_json: &[u8], now: u64) -> bool {
	let theirs =
		dcap_qvl::verify::rustcrypto::verify(quote, &dcap_qvl_collateral(collateral_json), now);
	let ours = verify(quote, collateral_json, &root(), &accept_all(), &report_data(quote), now);
	match (&ours, &theirs) {
		(Ok(o), Ok(t)) => {
			assert_eq!(our_status(o.tcb_status), t.status, "status at {now}");
			true
		},
		(Err(_), Err(_)) => false,
		_ => {
			panic!("disagreement at {now}: ours {ours:?}, dcap-qvl {:?}", theirs.map(|t| t.status))
		},
	}
}

#[test]
fn dcap_qvl_agrees_on_every_fixture_pair_and_time() {
	let pairs = [
		(sgx_quote(), sgx_collateral()),
		(tdx_quote(), tdx_collateral()),
		(tdx_hex_quote(), tdx_collateral()),
		(sgx_quote(), tdx_collateral()),
		(tdx_quote(), sgx_collateral()),
		(tdx_hex_quote(), sgx_collateral()),
	];
	let times = [
		0,
		SGX_START - 1,
		SGX_START,
		TDX_START - 1,
		TDX_START,
		(SGX_START + SGX_END) / 2,
		TDX_T,
		TDX_CRL_NEXT,
		SGX_T,
		SGX_END,
		SGX_END + 1,
		2_000_000_000,
	];
	let mut accepted = 0;
	for (q, c) in &pairs {
		for t in times {
			if agree(q, c, t) {
				accepted += 1;
			}
		}
	}
	// SGX pair: SGX_START, mid, TDX_T, TDX_CRL_NEXT, SGX_T, SGX_END; TDX pair: SGX_START - 1,
	// SGX_START, TDX_START, mid, TDX_T.
	assert_eq!(accepted, 11);
}

#[test]
fn dcap_qvl_agrees_on_corrupted_quotes() {
	for (q, c, t) in
		[(sgx_quote(), sgx_collateral(), SGX_T), (tdx_quote(), tdx_collateral(), TDX_T)]
	{
		// Up to the root certificate the quote carries; that copy of the root, the chain's NUL
		// terminator and the zero padding are checked below.
		let root_begin = find_nth(&q, b"-----BEGIN CERTIFICATE-----", 2);
		for at in (0..root_begin).step_by(151) {
			if q[at] == b'\n' {
				// PEM line breaks: checked below.
				continue;
			}
			let m = flipped(&q, at);
			let r = std::panic::catch_unwind(|| agree(&m, &c, t));
			assert_eq!(r.ok(), Some(false), "byte {at}");
		}
	}
}

#[test]
fn non_zero_bytes_after_the_chain_are_refused_where_dcap_qvl_ignores_them() {
	// dcap-qvl skips anything around PEM blocks and after the signature data, takes any
	// whitespace for a PEM line break and does not look at the root certificate the quote
	// carries; this verifier decodes PEM as RFC 7468 has it, accepts only whitespace/NUL between
	// blocks and only zero padding after the signature data, and requires the carried root to be
	// the pinned root (as Intel's QVL does). None of these bytes is signed.
	for (q, c, t) in
		[(sgx_quote(), sgx_collateral(), SGX_T), (tdx_quote(), tdx_collateral(), TDX_T)]
	{
		let after_begin = find_nth(&q, b"-----BEGIN CERTIFICATE-----", 1) + 27;
		assert_eq!(q[after_begin], b'\n');
		// A base64 letter in the carried root whose flipped value is still base64.
		let in_root = (0..find_nth(&q, b"-----END CERTIFICATE-----", 2) - 10)
			.rev()
			.find(|i| matches!(q[*i], b'B'..=b'Y' | b'b'..=b'y'))
			.unwrap();
		for at in [q.len() - 1, after_begin, in_root] {
			let m = flipped(&q, at);
			let col = dcap_qvl_collateral(&c);
			assert!(
				dcap_qvl::verify::rustcrypto::verify(&m, &col, t).is_ok(),
				"byte {at} {}",
				q[at]
			);
			let r = verify(&m, &c, &root(), &accept_all(), &report_data(&q), t);
			assert!(matches!(r, Err(E::Parse(_)) | Err(E::Chain)), "{r:?}");
		}
	}
}

// ---------------------------------------------------------------------------------------------
// Forged chains under a test root: what no real quote can show
// ---------------------------------------------------------------------------------------------

mod forge {
	use der::{Decode as _, Encode as _, Reader as _};
	use p256::ecdsa::{signature::Signer, Signature, SigningKey};

	pub fn key(seed: u8) -> SigningKey {
		SigningKey::from_slice(&[seed; 32]).unwrap()
	}

	fn der_len(n: usize) -> Vec<u8> {
		if n < 0x80 {
			vec![n as u8]
		} else if n < 0x100 {
			vec![0x81, n as u8]
		} else {
			vec![0x82, (n >> 8) as u8, n as u8]
		}
	}

	fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
		let mut v = vec![tag];
		v.extend(der_len(content.len()));
		v.extend_from_slice(content);
		v
	}

	fn int(bytes: &[u8]) -> Vec<u8> {
		let mut b: Vec<u8> = bytes.iter().copied().skip_while(|x| *x == 0).collect();
		if b.first().is_none_or(|x| *x >= 0x80) {
			b.insert(0, 0);
		}
		tlv(0x02, &b)
	}

	pub fn der_sig(sig: &Signature) -> Vec<u8> {
		let raw = sig.to_bytes();
		let mut c = int(&raw[..32]);
		c.extend(int(&raw[32..]));
		tlv(0x30, &c)
	}

	fn parts(der: &[u8]) -> (Vec<u8>, Vec<u8>) {
		let mut r = der::SliceReader::new(der).unwrap();
		r.sequence(|r| {
			let tbs = r.tlv_bytes()?.to_vec();
			let alg = r.tlv_bytes()?.to_vec();
			let _ = r.tlv_bytes()?;
			Ok::<_, der::Error>((tbs, alg))
		})
		.unwrap()
	}

	pub fn sign_tbs(tbs: &[u8], alg: &[u8], signer: &SigningKey) -> Vec<u8> {
		let sig: Signature = signer.sign(tbs);
		let mut bits = vec![0u8];
		bits.extend(der_sig(&sig));
		let mut c = tbs.to_vec();
		c.extend_from_slice(alg);
		c.extend(tlv(0x03, &bits));
		tlv(0x30, &c)
	}

	pub fn sec1(k: &SigningKey) -> Vec<u8> {
		k.verifying_key().to_sec1_point(false).as_bytes().to_vec()
	}

	/// Re-signs a certificate with `signer`, optionally replacing its public key with `new_key`'s
	/// and applying `edit` to the TBS bytes.
	pub fn resign_cert_with(
		der: &[u8],
		new_key: Option<&SigningKey>,
		signer: &SigningKey,
		edit: impl FnOnce(&mut Vec<u8>),
	) -> Vec<u8> {
		let cert = x509_cert::Certificate::from_der(der).unwrap();
		let old = cert
			.tbs_certificate()
			.subject_public_key_info()
			.subject_public_key
			.raw_bytes()
			.to_vec();
		let (mut tbs, alg) = parts(der);
		if let Some(k) = new_key {
			let at = tbs.windows(old.len()).position(|w| w == &old[..]).unwrap();
			tbs[at..at + old.len()].copy_from_slice(&sec1(k));
		}
		edit(&mut tbs);
		sign_tbs(&tbs, &alg, signer)
	}

	pub fn resign_cert(der: &[u8], new_key: Option<&SigningKey>, signer: &SigningKey) -> Vec<u8> {
		resign_cert_with(der, new_key, signer, |_| {})
	}

	/// Re-signs a CRL, adding `extra` revoked serials.
	pub fn resign_crl(der: &[u8], signer: &SigningKey, extra: &[Vec<u8>]) -> Vec<u8> {
		let mut crl: x509_cert::crl::CertificateList =
			x509_cert::crl::CertificateList::from_der(der).unwrap();
		let date = crl.tbs_cert_list.this_update;
		for s in extra {
			let rc = x509_cert::crl::RevokedCert {
				serial_number: x509_cert::serial_number::SerialNumber::from_der(&tlv(0x02, s))
					.unwrap(),
				revocation_date: date,
				crl_entry_extensions: None,
			};
			crl.tbs_cert_list.revoked_certificates.get_or_insert_with(Vec::new).push(rc);
		}
		let tbs = crl.tbs_cert_list.to_der().unwrap();
		let alg = crl.signature_algorithm.to_der().unwrap();
		sign_tbs(&tbs, &alg, signer)
	}

	pub fn pem(der: &[u8]) -> String {
		pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, der).unwrap()
	}
}

/// A complete chain, collateral and quote re-signed under a test root, rebuilt from a fixture.
struct Forged {
	root: Vec<u8>,
	collateral: Vec<u8>,
	quote: Vec<u8>,
}

#[derive(Default)]
struct ForgeOptions {
	/// Flips bits in the quote body before it is signed: (offset in body, xor mask).
	body_edits: Vec<(usize, u8)>,
	/// Serials added to the PCK CRL / root CA CRL.
	pck_crl_extra: Vec<Vec<u8>>,
	root_crl_extra: Vec<Vec<u8>>,
	/// Sign the PCK leaf with this key instead of the PCK CA's.
	leaf_signer: Option<u8>,
	/// Re-frame a TDX v4 quote as v5 with this body type: 2 (TD report 1.0) or 3 (TD report
	/// 1.5, TEE_TCB_SVN2 = TEE_TCB_SVN and MRSERVICETD zero before `body_edits`).
	v5_body: Option<u16>,
}

fn forge_from(quote: &[u8], collateral_json: &[u8], o: ForgeOptions) -> Forged {
	use p256::ecdsa::signature::Signer;
	let (root_k, tcb_k, ca_k, pck_k, ak_k) =
		(forge::key(1), forge::key(2), forge::key(3), forge::key(4), forge::key(5));
	let new_root = forge::resign_cert(&root(), Some(&root_k), &root_k);
	let col: dcap_qvl::QuoteCollateralV3 = dcap_qvl_collateral(collateral_json);
	let chain = |pem: &str| pem_certs(pem.as_bytes());

	let tcb_signer =
		forge::resign_cert(&chain(&col.tcb_info_issuer_chain)[0], Some(&tcb_k), &root_k);
	let tcb_chain = forge::pem(&tcb_signer) + &forge::pem(&new_root);
	let pck_ca = forge::resign_cert(&chain(&col.pck_crl_issuer_chain)[0], Some(&ca_k), &root_k);
	let raw = |s: p256::ecdsa::Signature| s.to_bytes().to_vec();
	let mut c = col.clone();
	c.tcb_info_issuer_chain = tcb_chain.clone();
	c.qe_identity_issuer_chain = tcb_chain;
	c.pck_crl_issuer_chain = forge::pem(&pck_ca) + &forge::pem(&new_root);
	c.tcb_info_signature = raw(tcb_k.sign(c.tcb_info.as_bytes()));
	c.qe_identity_signature = raw(tcb_k.sign(c.qe_identity.as_bytes()));
	c.root_ca_crl = forge::resign_crl(&col.root_ca_crl, &root_k, &o.root_crl_extra);
	c.pck_crl = forge::resign_crl(&col.pck_crl, &ca_k, &o.pck_crl_extra);

	// Quote: new PCK key, attestation key and signatures; same reports otherwise.
	let certs = pem_certs(quote);
	let leaf_signer = o.leaf_signer.map(forge::key).unwrap_or_else(|| ca_k.clone());
	let leaf = forge::resign_cert(&certs[0], Some(&pck_k), &leaf_signer);
	let pem_chain = forge::pem(&leaf) + &forge::pem(&pck_ca) + &forge::pem(&new_root);
	let tdx = quote[4] == 0x81;
	let body_len = if tdx { 584 } else { 384 };
	let mut signed = quote[..48 + body_len].to_vec();
	let mut body_at = 48;
	if let Some(body_type) = o.v5_body {
		signed[0] = 5;
		let mut body = signed[48..].to_vec();
		if body_type == 3 {
			let tee_tcb_svn = body[..16].to_vec();
			body.extend(tee_tcb_svn);
			body.extend([0u8; 48]);
		}
		signed.truncate(48);
		signed.extend(body_type.to_le_bytes());
		signed.extend((body.len() as u32).to_le_bytes());
		signed.extend(body);
		body_at = 54;
	}
	for (at, mask) in &o.body_edits {
		signed[body_at + at] ^= mask;
	}
	let ak = forge::sec1(&ak_k)[1..].to_vec();
	let sig_data = &quote[48 + body_len + 4..];
	let qe_part = if tdx { &sig_data[128 + 6..] } else { &sig_data[128..] };
	let mut qe_report = qe_part[..384].to_vec();
	let auth_len = u16::from_le_bytes([qe_part[448], qe_part[449]]) as usize;
	let auth = qe_part[450..450 + auth_len].to_vec();
	let mut h = ak.clone();
	h.extend_from_slice(&auth);
	use sha2::Digest;
	qe_report[320..352].copy_from_slice(&sha2::Sha256::digest(&h));
	let mut qe = qe_report.clone();
	qe.extend(raw(pck_k.sign(&qe_report)));
	qe.extend((auth_len as u16).to_le_bytes());
	qe.extend(&auth);
	qe.extend(5u16.to_le_bytes());
	qe.extend((pem_chain.len() as u32).to_le_bytes());
	qe.extend(pem_chain.as_bytes());
	let mut sd = raw(ak_k.sign(&signed));
	sd.extend(&ak);
	if tdx {
		sd.extend(6u16.to_le_bytes());
		sd.extend((qe.len() as u32).to_le_bytes());
	}
	sd.extend(qe);
	let mut q = signed;
	q.extend((sd.len() as u32).to_le_bytes());
	q.extend(sd);

	Forged { root: new_root, collateral: serde_json::to_vec(&c).unwrap(), quote: q }
}

fn forged_tdx(o: ForgeOptions) -> Forged {
	forge_from(&tdx_quote(), &tdx_collateral(), o)
}
fn forged_sgx(o: ForgeOptions) -> Forged {
	forge_from(&sgx_quote(), &sgx_collateral(), o)
}

fn run_forged(f: &Forged, p: &Policy, t: u64) -> Result<aicf_attestation_verify::Verified, E> {
	verify(&f.quote, &f.collateral, &f.root, p, &report_data(&f.quote), t)
}

#[test]
fn forged_chain_under_test_root_verifies_like_the_original() {
	let f = forged_tdx(ForgeOptions::default());
	let v = run_forged(&f, &Policy::default(), TDX_T).unwrap();
	assert_eq!(v.tcb_status, TcbStatus::UpToDate);
	// And not under the Intel root.
	assert!(verify(&f.quote, &f.collateral, &root(), &accept_all(), &report_data(&f.quote), TDX_T)
		.is_err());
	let f = forged_sgx(ForgeOptions::default());
	let v = run_forged(&f, &accept_all(), SGX_T).unwrap();
	assert_eq!(v.tcb_status, TcbStatus::ConfigurationAndSwHardeningNeeded);
	// dcap-qvl agrees under the same test root.
	let verifier = dcap_qvl::verify::QuoteVerifier::new(f.root.clone())
		.with_config::<dcap_qvl::configs::RustCryptoConfig>();
	let r = verifier.verify(&f.quote, &dcap_qvl_collateral(&f.collateral), SGX_T).unwrap();
	assert_eq!(r.status, "ConfigurationAndSWHardeningNeeded");
}

#[test]
fn sgx_debug_enclave_is_refused_unless_policy_allows_debug() {
	// ATTRIBUTES at body offset 48; DEBUG is bit 1.
	let f = forged_sgx(ForgeOptions { body_edits: vec![(48, 0x02)], ..Default::default() });
	let p = policy_accepting(TcbStatus::ConfigurationAndSwHardeningNeeded);
	assert_eq!(run_forged(&f, &p, SGX_T), Err(E::Debug));
	let allow = Policy { allow_debug: true, ..p };
	assert!(run_forged(&f, &allow, SGX_T).unwrap().debug);
}

#[test]
fn tdx_debug_td_is_refused_unless_policy_allows_debug() {
	// TD_ATTRIBUTES at body offset 120; TUD.DEBUG is bit 0.
	let f = forged_tdx(ForgeOptions { body_edits: vec![(120, 0x01)], ..Default::default() });
	assert_eq!(run_forged(&f, &Policy::default(), TDX_T), Err(E::Debug));
	let allow = Policy { allow_debug: true, ..Policy::default() };
	assert!(run_forged(&f, &allow, TDX_T).unwrap().debug);
}

#[test]
fn tdx_migratable_or_sept_ve_enabled_td_is_refused() {
	// MIGRATABLE: bit 29 (byte 3, 0x20); SEPT_VE_DISABLE: bit 28 (byte 3, 0x10).
	for edit in [(123, 0x20), (123, 0x10), (121, 0x02), (124, 0x01)] {
		let f = forged_tdx(ForgeOptions { body_edits: vec![edit], ..Default::default() });
		assert_eq!(run_forged(&f, &accept_all(), TDX_T), Err(E::PolicyBit), "{edit:?}");
	}
}

#[test]
fn tdx_seam_module_signer_must_match_the_collateral() {
	// MRSIGNERSEAM at body offset 64.
	let f = forged_tdx(ForgeOptions { body_edits: vec![(64, 0x01)], ..Default::default() });
	assert_eq!(run_forged(&f, &accept_all(), TDX_T), Err(E::CollateralMismatch));
}

#[test]
fn pck_certificate_on_a_signed_crl_is_revoked() {
	let serial = leaf_serial(&tdx_quote());
	let f = forged_tdx(ForgeOptions { pck_crl_extra: vec![serial], ..Default::default() });
	assert_eq!(run_forged(&f, &accept_all(), TDX_T), Err(E::Revoked));
	let c = verify_collateral(&f.collateral, &f.root, TDX_T).unwrap();
	assert_eq!(c.revoked_pck_serials.len(), 45);
}

#[test]
fn signing_certificate_on_the_root_crl_is_revoked() {
	let col = dcap_qvl_collateral(&tdx_collateral());
	let tcb_serial = leaf_serial(col.tcb_info_issuer_chain.as_bytes());
	let f = forged_tdx(ForgeOptions { root_crl_extra: vec![tcb_serial], ..Default::default() });
	assert_eq!(verify_collateral(&f.collateral, &f.root, TDX_T), Err(E::Revoked));
	let ca_serial = leaf_serial(col.pck_crl_issuer_chain.as_bytes());
	let f = forged_tdx(ForgeOptions { root_crl_extra: vec![ca_serial], ..Default::default() });
	assert_eq!(verify_collateral(&f.collateral, &f.root, TDX_T), Err(E::Revoked));
}

#[test]
fn pck_leaf_not_signed_by_the_pck_ca_is_refused() {
	let f = forged_tdx(ForgeOptions { leaf_signer: Some(9), ..Default::default() });
	assert_eq!(run_forged(&f, &accept_all(), TDX_T), Err(E::Signature));
}

#[test]
fn pck_leaf_outside_its_validity_is_refused() {
	// The TDX PCK leaf is valid from 2025-02-06; the collateral window is later, so move the
	// collateral check aside and test the leaf: a stored collateral valid from 2020.
	let q = tdx_quote();
	let rd = report_data(&q);
	let mut c = tdx_verified_collateral();
	c.issued_at = 1_577_836_800; // 2020-01-01
	assert_eq!(
		verify_quote(&q, &c, &root(), &accept_all(), &rd, 1_700_000_000),
		Err(E::NotYetValid)
	);
	c.not_after = u64::MAX;
	assert_eq!(verify_quote(&q, &c, &root(), &accept_all(), &rd, 2_000_000_000), Err(E::Expired));
}

fn dcap_qvl_under(f: &Forged, t: u64) -> Result<String, String> {
	dcap_qvl::verify::QuoteVerifier::new(f.root.clone())
		.with_config::<dcap_qvl::configs::RustCryptoConfig>()
		.verify(&f.quote, &dcap_qvl_collateral(&f.collateral), t)
		.map(|r| r.status)
		.map_err(|e| e.to_string())
}

#[test]
fn tdx_v5_quotes_with_td10_and_td15_bodies_verify() {
	for body_type in [2u16, 3] {
		let f = forged_tdx(ForgeOptions { v5_body: Some(body_type), ..Default::default() });
		assert_eq!(u16::from_le_bytes([f.quote[0], f.quote[1]]), 5);
		let rd: [u8; 64] = f.quote[54 + 520..54 + 584].try_into().unwrap();
		assert_eq!(rd, report_data(&tdx_quote()));
		let v = verify(&f.quote, &f.collateral, &f.root, &Policy::default(), &rd, TDX_T).unwrap();
		assert_eq!(v.kind, EvidenceKind::TdxDcap);
		assert_eq!(v.tcb_status, TcbStatus::UpToDate);
		assert_eq!(v.report_data, rd);
		assert_eq!(dcap_qvl_under(&f, TDX_T), Ok("UpToDate".into()), "body type {body_type}");
	}
}

#[test]
fn tdx_v5_td15_with_a_service_td_is_refused() {
	// MRSERVICETD follows TEE_TCB_SVN2 at body offset 584 + 16.
	let f = forged_tdx(ForgeOptions {
		v5_body: Some(3),
		body_edits: vec![(600, 0x01)],
		..Default::default()
	});
	let rd = &f.quote[54 + 520..54 + 584];
	assert_eq!(
		verify(&f.quote, &f.collateral, &f.root, &accept_all(), rd, TDX_T),
		Err(E::PolicyBit)
	);
	assert!(dcap_qvl_under(&f, TDX_T).is_err());
}

#[test]
fn tdx_v5_td15_current_tcb_below_every_level_is_refused() {
	// TEE_TCB_SVN2[2] (TDX late microcode) 2 -> 0: the current TCB meets no TCB level.
	let f = forged_tdx(ForgeOptions {
		v5_body: Some(3),
		body_edits: vec![(584 + 2, 0x02)],
		..Default::default()
	});
	let rd = &f.quote[54 + 520..54 + 584];
	assert_eq!(
		verify(&f.quote, &f.collateral, &f.root, &accept_all(), rd, TDX_T),
		Err(E::CollateralMismatch)
	);
	assert!(dcap_qvl_under(&f, TDX_T).is_err());
}

#[test]
fn tdx_v5_body_descriptor_is_checked() {
	let f = forged_tdx(ForgeOptions { v5_body: Some(2), ..Default::default() });
	let rd = f.quote[54 + 520..54 + 584].to_vec();
	let run = |q: &[u8]| verify(q, &f.collateral, &f.root, &accept_all(), &rd, TDX_T);
	assert!(run(&f.quote).is_ok());
	// Size that does not fit the type.
	assert_eq!(run(&flipped(&f.quote, 50)), Err(E::Parse(ParseRegion::Body)));
	// Body type 4 (TD report 1.5 with extensions) and 1 (SGX) with a TDX header.
	let mut m = f.quote.clone();
	m[48] = 4;
	assert_eq!(run(&m), Err(E::Unsupported));
	m[48] = 1;
	assert_eq!(run(&m), Err(E::Unsupported));
}
