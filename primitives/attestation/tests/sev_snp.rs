//! SEV-SNP report verification against AMD's published Milan/Genoa/Turin certificates and a
//! report signed by a Milan VCEK (`../shared/fixtures/sev-snp`, see its `PROVENANCE.md`), plus
//! synthetic reports signed by a test chain for the cases real fixtures cannot show (debug
//! guests, VCEKs for another chip or TCB, version 3 Turin layout).

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

mod fixtures;
mod test_ca;

use aicf_attestation_verify::{
	provider_binding,
	sev_snp::{self, REPORT_LEN, SIGNED_LEN},
	AttestationError, EvidenceKind, ParseRegion, Policy, SevSnpWorkload, TcbStatus, TcbStatusSet,
	Workload, WorkloadRule,
};
use p384::ecdsa::{signature::Signer, Signature, SigningKey};
use test_ca::{cert, ext, key, name, root, CertSpec, T2024, T2026, T2030, T2040};

/// The bytes of the fixture at `rel` below `sev-snp/` in the fixtures folder.
fn read(rel: &str) -> Vec<u8> {
	fixtures::read(&format!("sev-snp/{rel}"))
}

/// All certificates of a PEM file, as the DER bytes it encodes.
fn pem_certs(rel: &str) -> Vec<Vec<u8>> {
	let text = String::from_utf8(read(rel)).unwrap();
	let mut out = Vec::new();
	for block in text.split_inclusive("-----END CERTIFICATE-----") {
		let Some(start) = block.find("-----BEGIN CERTIFICATE-----") else { continue };
		let (label, der) = der::pem::decode_vec(&block.as_bytes()[start..]).unwrap();
		assert_eq!(label, "CERTIFICATE");
		out.push(der);
	}
	assert!(!out.is_empty(), "no certificate in {rel}");
	out
}

fn pem_cert(rel: &str) -> Vec<u8> {
	let mut v = pem_certs(rel);
	assert_eq!(v.len(), 1, "{rel} should hold one certificate");
	v.remove(0)
}

struct Milan {
	report: Vec<u8>,
	vcek: Vec<u8>,
	ask: Vec<u8>,
	ark: Vec<u8>,
	genoa_ark: Vec<u8>,
	genoa_ask: Vec<u8>,
	turin_ark: Vec<u8>,
	turin_ask: Vec<u8>,
	turin_vcek: Vec<u8>,
}

fn milan() -> Milan {
	let hex_text = read("virtee-sev/tests/certs_data/report_milan.hex");
	let report = hex::decode(String::from_utf8(hex_text).unwrap().trim()).unwrap();
	assert_eq!(report.len(), REPORT_LEN);
	Milan {
		report,
		vcek: read("virtee-sev/tests/certs_data/vcek_milan.der"),
		ask: pem_cert("virtee-sev/src/certs/snp/builtin/milan/ask.pem"),
		ark: pem_cert("virtee-sev/src/certs/snp/builtin/milan/ark.pem"),
		genoa_ark: pem_cert("virtee-sev/src/certs/snp/builtin/genoa/ark.pem"),
		genoa_ask: pem_cert("virtee-sev/src/certs/snp/builtin/genoa/ask.pem"),
		turin_ark: pem_cert("virtee-sev/src/certs/snp/builtin/turin/ark.pem"),
		turin_ask: pem_cert("virtee-sev/src/certs/snp/builtin/turin/ask.pem"),
		turin_vcek: read("virtee-sev/tests/certs_data/vcek_turin.der"),
	}
}

const MILAN_MEASUREMENT: &str = "7a1e5c266c0108dbc9bb94fa926951320940915d0aafb42464bd88b579ea158d3e1a0dc39b2c60bd95b9c480cd81841f";
const MILAN_REPORT_DATA: &str = "d447b55d197491bfe15cf298f9de9986b7a7c4be2468b4f6e2d53b71d7c645810b0f2cdfca0040433be063fc1a8293f0f3f8dae7b79fecb3d1cd82bd6a93ebfd";
/// VCEK notAfter, 2030-04-03T19:23:43Z: the earliest in the Milan chain.
const MILAN_VCEK_NOT_AFTER: u64 = 1_901_474_623;
/// VCEK notBefore, 2023-04-03T19:23:43Z.
const MILAN_VCEK_NOT_BEFORE: u64 = 1_680_549_823;
/// A time inside every Milan certificate's validity: 2025-06-01.
const NOW: u64 = 1_748_736_000;

/// The fixture's REPORT_DATA is not a provider binding; its first 32 bytes stand in for one.
fn milan_binding() -> Vec<u8> {
	hex::decode(MILAN_REPORT_DATA).unwrap()[..32].to_vec()
}

fn verify_milan(
	m: &Milan,
	report: &[u8],
	policy: &Policy,
	now: u64,
) -> Result<aicf_attestation_verify::Verified, AttestationError> {
	sev_snp::verify(report, &m.vcek, &m.ask, &[&m.ark], policy, &milan_binding(), now)
}

#[test]
fn milan_report_verifies_under_pinned_milan_ark() {
	let m = milan();
	let v = verify_milan(&m, &m.report, &Policy::default(), NOW).unwrap();
	assert_eq!(v.kind, EvidenceKind::SevSnp);
	assert_eq!(v.measurement.to_vec(), hex::decode(MILAN_MEASUREMENT).unwrap());
	assert_eq!(v.report_data.to_vec(), hex::decode(MILAN_REPORT_DATA).unwrap());
	assert_eq!(v.tcb_status, TcbStatus::NotApplicable);
	assert!(!v.debug);
	assert_eq!(v.issued_at, None);
	assert_eq!(v.not_after, MILAN_VCEK_NOT_AFTER);
	assert!(v.trap_families.is_empty());
}

#[test]
fn milan_report_verifies_when_every_generation_ark_is_pinned() {
	let m = milan();
	let pinned: [&[u8]; 3] = [&m.genoa_ark, &m.turin_ark, &m.ark];
	let v = sev_snp::verify(
		&m.report,
		&m.vcek,
		&m.ask,
		&pinned,
		&Policy::default(),
		&milan_binding(),
		NOW,
	)
	.unwrap();
	assert_eq!(v.not_after, MILAN_VCEK_NOT_AFTER);
}

#[test]
fn milan_chain_is_refused_when_only_genoa_or_turin_ark_is_pinned() {
	let m = milan();
	for pinned in [
		vec![&m.genoa_ark[..]],
		vec![&m.turin_ark[..]],
		vec![&m.genoa_ark[..], &m.turin_ark[..]],
		vec![],
	] {
		let r = sev_snp::verify(
			&m.report,
			&m.vcek,
			&m.ask,
			&pinned,
			&Policy::default(),
			&milan_binding(),
			NOW,
		);
		assert_eq!(r, Err(AttestationError::Chain));
	}
}

#[test]
fn milan_vcek_is_refused_under_genoa_or_turin_ask() {
	let m = milan();
	for (ask, ark) in [(&m.genoa_ask, &m.genoa_ark), (&m.turin_ask, &m.turin_ark)] {
		let r = sev_snp::verify(
			&m.report,
			&m.vcek,
			ask,
			&[ark],
			&Policy::default(),
			&milan_binding(),
			NOW,
		);
		assert_eq!(r, Err(AttestationError::Chain));
	}
}

#[test]
fn genoa_ask_is_refused_under_milan_ark_even_when_names_are_forced() {
	// The Genoa ASK names ARK-Genoa as issuer: with only ARK-Milan pinned no root matches.
	let m = milan();
	let r = sev_snp::verify(
		&m.report,
		&m.vcek,
		&m.genoa_ask,
		&[&m.ark],
		&Policy::default(),
		&milan_binding(),
		NOW,
	);
	assert_eq!(r, Err(AttestationError::Chain));
}

#[test]
fn turin_vcek_chains_to_turin_ark_but_does_not_sign_the_milan_report() {
	let m = milan();
	// VCEK-Turin → ASK-Turin → ARK-Turin is a valid chain, so verification gets as far as the
	// report signature, which the Turin key did not make.
	let r = sev_snp::verify(
		&m.report,
		&m.turin_vcek,
		&m.turin_ask,
		&[&m.turin_ark],
		&Policy::default(),
		&milan_binding(),
		NOW,
	);
	assert_eq!(r, Err(AttestationError::Signature));
	// Under the Milan ASK the Turin VCEK does not chain.
	let r = sev_snp::verify(
		&m.report,
		&m.turin_vcek,
		&m.ask,
		&[&m.ark],
		&Policy::default(),
		&milan_binding(),
		NOW,
	);
	assert_eq!(r, Err(AttestationError::Chain));
}

#[test]
fn milan_report_is_refused_when_now_is_after_the_vcek_expiry() {
	let m = milan();
	assert!(verify_milan(&m, &m.report, &Policy::default(), MILAN_VCEK_NOT_AFTER).is_ok());
	assert_eq!(
		verify_milan(&m, &m.report, &Policy::default(), MILAN_VCEK_NOT_AFTER + 1),
		Err(AttestationError::Expired)
	);
}

#[test]
fn milan_report_is_refused_when_now_is_before_the_vcek_validity() {
	let m = milan();
	assert!(verify_milan(&m, &m.report, &Policy::default(), MILAN_VCEK_NOT_BEFORE).is_ok());
	assert_eq!(
		verify_milan(&m, &m.report, &Policy::default(), MILAN_VCEK_NOT_BEFORE - 1),
		Err(AttestationError::NotYetValid)
	);
}

#[test]
fn every_flipped_byte_in_the_signed_region_is_rejected() {
	let m = milan();
	let mut sig_errors = 0;
	for i in 0..SIGNED_LEN {
		let mut r = m.report.clone();
		r[i] ^= 0x01;
		let res = verify_milan(&m, &r, &Policy::default(), NOW);
		match i {
			// version, signature algorithm and key-info words select the format
			0x00..=0x03 | 0x34..=0x37 | 0x48..=0x4B => assert!(res.is_err(), "byte {i:#x}"),
			_ => {
				assert_eq!(res, Err(AttestationError::Signature), "byte {i:#x}");
				sig_errors += 1;
			},
		}
	}
	assert_eq!(sig_errors, SIGNED_LEN - 12);
}

#[test]
fn flipped_header_fields_are_unsupported_or_bad_signature() {
	let m = milan();
	let mut r = m.report.clone();
	r[0] = 4; // version 4
	assert_eq!(verify_milan(&m, &r, &Policy::default(), NOW), Err(AttestationError::Unsupported));
	let mut r = m.report.clone();
	r[0x34] = 2; // signature algorithm
	assert_eq!(verify_milan(&m, &r, &Policy::default(), NOW), Err(AttestationError::Unsupported));
	let mut r = m.report.clone();
	r[0x48] = 0b1000; // signing key 2: reserved
	assert_eq!(verify_milan(&m, &r, &Policy::default(), NOW), Err(AttestationError::Unsupported));
	let mut r = m.report.clone();
	r[0x48] = 0b0100; // signing key 1 (VLEK): signature still does not verify (bytes changed)
	assert_eq!(verify_milan(&m, &r, &Policy::default(), NOW), Err(AttestationError::Signature));
}

#[test]
fn flipped_signature_bytes_are_rejected() {
	let m = milan();
	// R, S, the zero padding above each 48-byte scalar
	for i in [0x2A0, 0x2A0 + 47, 0x2A0 + 48, 0x2A0 + 71, 0x2E8, 0x2E8 + 47, 0x2E8 + 60] {
		let mut r = m.report.clone();
		r[i] ^= 0x80;
		assert_eq!(
			verify_milan(&m, &r, &Policy::default(), NOW),
			Err(AttestationError::Signature),
			"byte {i:#x}"
		);
	}
	// the reserved tail after the signature is not signed and not read
	let mut r = m.report.clone();
	r[REPORT_LEN - 1] ^= 1;
	assert!(verify_milan(&m, &r, &Policy::default(), NOW).is_ok());
}

#[test]
fn flipped_certificate_bytes_are_rejected() {
	let m = milan();
	let b = milan_binding();
	let p = Policy::default();
	// last byte: inside the signature value
	let mut vcek = m.vcek.clone();
	*vcek.last_mut().unwrap() ^= 1;
	assert_eq!(
		sev_snp::verify(&m.report, &vcek, &m.ask, &[&m.ark], &p, &b, NOW),
		Err(AttestationError::Signature)
	);
	// a byte of the VCEK's public key (inside the signed TBS)
	let mut vcek = m.vcek.clone();
	let key_at = find(&m.vcek, &p384_point(&m.vcek)) + 10;
	vcek[key_at] ^= 1;
	assert_eq!(
		sev_snp::verify(&m.report, &vcek, &m.ask, &[&m.ark], &p, &b, NOW),
		Err(AttestationError::Signature)
	);
	let mut ask = m.ask.clone();
	*ask.last_mut().unwrap() ^= 1;
	assert_eq!(
		sev_snp::verify(&m.report, &m.vcek, &ask, &[&m.ark], &p, &b, NOW),
		Err(AttestationError::Signature)
	);
	// a corrupted root: its self-signature no longer verifies, so it cannot be pinned
	// (`check_root`, run once when pinned; a verification trusts its pinned roots as given)
	let mut ark = m.ark.clone();
	*ark.last_mut().unwrap() ^= 1;
	assert_eq!(aicf_attestation_verify::check_root(&ark), Err(AttestationError::Signature));
	assert_eq!(aicf_attestation_verify::check_root(&m.ark), Ok(()));
	// neither can a certificate that is not its own issuer (the ASK), or not a CA (the VCEK)
	assert_eq!(aicf_attestation_verify::check_root(&m.ask), Err(AttestationError::Chain));
	assert!(aicf_attestation_verify::check_root(&m.vcek).is_err());
	// a broken DER header
	let mut vcek = m.vcek.clone();
	vcek[1] ^= 0x7f;
	assert_eq!(
		sev_snp::verify(&m.report, &vcek, &m.ask, &[&m.ark], &p, &b, NOW),
		Err(AttestationError::Parse(ParseRegion::Certificate))
	);
}

/// The uncompressed P-384 point in a certificate (the 0x04 marker after `BIT STRING 62 00`).
fn p384_point(der: &[u8]) -> Vec<u8> {
	let at = find(der, &[0x03, 0x62, 0x00, 0x04]);
	der[at + 3..at + 3 + 97].to_vec()
}

fn find(hay: &[u8], needle: &[u8]) -> usize {
	hay.windows(needle.len()).position(|w| w == needle).unwrap()
}

#[test]
fn guest_policy_bits_are_required() {
	let m = milan();
	// the report's policy is 0x30000: SMT (bit 16) and the reserved bit 17
	let ok =
		Policy { sev_required_policy_bits: sev_snp::POLICY_SMT | (1 << 17), ..Policy::default() };
	assert!(verify_milan(&m, &m.report, &ok, NOW).is_ok());
	let single_socket =
		Policy { sev_required_policy_bits: sev_snp::POLICY_SINGLE_SOCKET, ..Policy::default() };
	assert_eq!(verify_milan(&m, &m.report, &single_socket, NOW), Err(AttestationError::PolicyBit));
	// bits that must be clear: SMT is set in this guest's policy, MIGRATE_MA (bit 18) is not
	let no_smt = Policy { sev_forbidden_policy_bits: sev_snp::POLICY_SMT, ..Policy::default() };
	assert_eq!(verify_milan(&m, &m.report, &no_smt, NOW), Err(AttestationError::PolicyBit));
	let no_migration_agent = Policy { sev_forbidden_policy_bits: 1 << 18, ..Policy::default() };
	assert!(verify_milan(&m, &m.report, &no_migration_agent, NOW).is_ok());
}

#[test]
fn reported_tcb_below_the_minimum_is_out_of_date() {
	let m = milan();
	// reported TCB: bootloader 3, TEE 0, SNP 8, microcode 115
	let at_min = Policy { sev_min_tcb: [3, 0, 8, 115], ..Policy::default() };
	assert_eq!(
		verify_milan(&m, &m.report, &at_min, NOW).unwrap().tcb_status,
		TcbStatus::NotApplicable
	);
	for min in [[4, 0, 8, 115], [3, 1, 8, 115], [3, 0, 9, 115], [3, 0, 8, 116]] {
		let p = Policy { sev_min_tcb: min, ..Policy::default() };
		assert_eq!(
			verify_milan(&m, &m.report, &p, NOW),
			Err(AttestationError::TcbStatus(TcbStatus::OutOfDate)),
			"{min:?}"
		);
		let lenient =
			Policy { accepted_tcb: TcbStatusSet::DEFAULT.with(TcbStatus::OutOfDate), ..p };
		assert_eq!(
			verify_milan(&m, &m.report, &lenient, NOW).unwrap().tcb_status,
			TcbStatus::OutOfDate
		);
	}
}

/// The Milan report's workload is its MEASUREMENT, HOST_DATA and VMPL, read at the ABI's
/// offsets; a rule must name both MEASUREMENT and HOST_DATA.
#[test]
fn workload_rules_pin_the_measurement_and_host_data() {
	let m = milan();
	let v = verify_milan(&m, &m.report, &Policy::default(), NOW).unwrap();
	let Workload::SevSnp(w) = v.workload else { panic!("not a guest: {:?}", v.workload) };
	assert_eq!(w.measurement[..], hex::decode(MILAN_MEASUREMENT).unwrap()[..]);
	assert_eq!(w.host_data[..], m.report[0xC0..0xE0]);
	assert_eq!(w.vmpl, 0, "PROVENANCE.md: VMPL 0");
	let bundle = [m.report.clone(), m.vcek.clone(), m.ask.clone()].concat();
	assert_eq!(aicf_attestation_verify::workload_of(EvidenceKind::SevSnp, &bundle), Ok(v.workload));
	let only = |rules: Vec<WorkloadRule>| Policy {
		workloads: rules,
		any_workload: false,
		..Policy::default()
	};
	let exact = WorkloadRule::exact(&v.workload).unwrap();
	assert!(verify_milan(&m, &m.report, &only(vec![exact]), NOW).is_ok());
	let mut other_measurement = w.measurement;
	other_measurement[0] ^= 1;
	let mut other_host = w.host_data;
	other_host[31] ^= 1;
	for rule in [
		WorkloadRule::SevSnp { measurement: other_measurement, host_data: w.host_data },
		WorkloadRule::SevSnp { measurement: w.measurement, host_data: other_host },
	] {
		assert_eq!(
			verify_milan(&m, &m.report, &only(vec![rule]), NOW),
			Err(AttestationError::Measurement)
		);
		assert!(verify_milan(&m, &m.report, &only(vec![rule, exact]), NOW).is_ok());
	}
	assert_eq!(verify_milan(&m, &m.report, &only(vec![]), NOW), Err(AttestationError::Measurement));
}

/// HOST_DATA and VMPL are signed report fields: a guest launched with other host data is not
/// the pinned workload, and a report not requested by the guest from VMPL 0 — from a lower
/// VMPL below a paravisor, or by the host (VMPL 0xFFFFFFFF, host-chosen REPORT_DATA) — is
/// refused whatever the policy.
#[test]
fn a_report_from_another_vmpl_or_with_other_host_data_is_not_admitted() {
	let s = synth(&CHIP_ID, [0, 3, 0, 8, 115], false);
	let pinned = WorkloadRule::SevSnp { measurement: [0x11; 48], host_data: [0x22; 32] };
	let only = Policy { workloads: vec![pinned], any_workload: false, ..Policy::default() };
	let report = sign_report(&ReportSpec::default(), &s.vcek_key);
	let v = verify_synth(&s, &report, &only, b"provider-a").unwrap();
	assert_eq!(
		v.workload,
		Workload::SevSnp(SevSnpWorkload {
			measurement: [0x11; 48],
			host_data: [0x22; 32],
			vmpl: 0
		})
	);
	for vmpl in [1, 3, u32::MAX] {
		let report = sign_report(&ReportSpec { vmpl, ..Default::default() }, &s.vcek_key);
		for policy in [&only, &Policy::default()] {
			assert_eq!(
				verify_synth(&s, &report, policy, b"provider-a"),
				Err(AttestationError::PolicyBit),
				"VMPL {vmpl}"
			);
		}
		// a rule never admits it either
		let w = Workload::SevSnp(SevSnpWorkload {
			measurement: [0x11; 48],
			host_data: [0x22; 32],
			vmpl,
		});
		assert!(!pinned.admits(&w));
	}
	let other_host =
		sign_report(&ReportSpec { host_data: [0x23; 32], ..Default::default() }, &s.vcek_key);
	assert_eq!(
		verify_synth(&s, &other_host, &only, b"provider-a"),
		Err(AttestationError::Measurement)
	);
	// the lower-level default admits any workload
	assert!(verify_synth(&s, &other_host, &Policy::default(), b"provider-a").is_ok());
}

#[test]
fn report_data_must_bind_the_provider() {
	let m = milan();
	let p = Policy::default();
	for binding in [
		provider_binding(b"someone else").to_vec(),
		vec![],
		hex::decode(MILAN_REPORT_DATA).unwrap()[1..33].to_vec(),
	] {
		assert_eq!(
			sev_snp::verify(&m.report, &m.vcek, &m.ask, &[&m.ark], &p, &binding, NOW),
			Err(AttestationError::ReportDataBinding)
		);
	}
	// the whole 64 bytes bind too
	let full = hex::decode(MILAN_REPORT_DATA).unwrap();
	assert!(sev_snp::verify(&m.report, &m.vcek, &m.ask, &[&m.ark], &p, &full, NOW).is_ok());
}

#[test]
fn truncated_oversized_and_random_inputs_are_parse_errors() {
	let m = milan();
	let p = Policy::default();
	let b = milan_binding();
	for len in [0, 1, 0x2A0, REPORT_LEN - 1] {
		assert_eq!(
			sev_snp::verify(&m.report[..len], &m.vcek, &m.ask, &[&m.ark], &p, &b, NOW),
			Err(AttestationError::Parse(ParseRegion::Header))
		);
	}
	let mut long = m.report.clone();
	long.push(0);
	assert_eq!(
		sev_snp::verify(&long, &m.vcek, &m.ask, &[&m.ark], &p, &b, NOW),
		Err(AttestationError::Parse(ParseRegion::Header))
	);
	for len in [0, 1, 10, m.vcek.len() - 1] {
		assert_eq!(
			sev_snp::verify(&m.report, &m.vcek[..len], &m.ask, &[&m.ark], &p, &b, NOW),
			Err(AttestationError::Parse(ParseRegion::Certificate))
		);
		assert_eq!(
			sev_snp::verify(&m.report, &m.vcek, &m.ask[..len], &[&m.ark], &p, &b, NOW),
			Err(AttestationError::Parse(ParseRegion::Certificate))
		);
	}
	let huge = vec![0x30; 64 * 1024];
	assert_eq!(
		sev_snp::verify(&m.report, &huge, &m.ask, &[&m.ark], &p, &b, NOW),
		Err(AttestationError::Parse(ParseRegion::Certificate))
	);
	// garbage pinned roots are skipped, so nothing chains
	assert_eq!(
		sev_snp::verify(&m.report, &m.vcek, &m.ask, &[&huge, &m.ark[..100]], &p, &b, NOW),
		Err(AttestationError::Chain)
	);
	// random bytes of many lengths never panic
	let mut x: u64 = 0x9e3779b97f4a7c15;
	for len in (0..3000).step_by(37) {
		let bytes: Vec<u8> = (0..len)
			.map(|_| {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				x as u8
			})
			.collect();
		assert!(sev_snp::verify(&bytes, &bytes, &bytes, &[&bytes], &p, &b, NOW).is_err());
		assert!(sev_snp::verify(&m.report, &bytes, &m.ask, &[&m.ark], &p, &b, NOW).is_err());
		// a random report of the right size: its version or algorithm is almost surely wrong
		let mut r = bytes.clone();
		r.resize(REPORT_LEN, 0);
		assert!(sev_snp::verify(&r, &m.vcek, &m.ask, &[&m.ark], &p, &b, NOW).is_err());
	}
}

// ---- synthetic chain: P-384 ARK → ASK → VCEK, reports signed by the test VCEK ----

const CHIP_ID: [u8; 64] = [0x5a; 64];

struct Synth {
	ark: Vec<u8>,
	ask: Vec<u8>,
	vcek: Vec<u8>,
	vcek_key: SigningKey,
}

fn der_int(v: u8) -> Vec<u8> {
	if v < 0x80 {
		vec![0x02, 0x01, v]
	} else {
		vec![0x02, 0x02, 0x00, v]
	}
}

/// A chain whose VCEK carries the given hwID (none if empty) and TCB extensions
/// `[fmc, bl, tee, snp, ucode]`.
fn synth(hw_id: &[u8], spl: [u8; 5], turin: bool) -> Synth {
	let ark_key = key(1);
	let ask_key = key(2);
	let vcek_key = key(3);
	let ark = root("ARK-Test", &ark_key, T2024, T2040);
	let ask = cert(CertSpec {
		subject: name("SEV-Test"),
		subject_key: &ask_key,
		issuer: name("ARK-Test"),
		issuer_key: &ark_key,
		ca: true,
		not_before: T2024,
		not_after: T2040,
		extra: vec![],
	});
	let [fmc, bl, tee, snp, ucode] = spl;
	let mut extra = vec![
		ext("1.3.6.1.4.1.3704.1.3.1", false, der_int(bl)),
		ext("1.3.6.1.4.1.3704.1.3.2", false, der_int(tee)),
		ext("1.3.6.1.4.1.3704.1.3.3", false, der_int(snp)),
		ext("1.3.6.1.4.1.3704.1.3.8", false, der_int(ucode)),
	];
	if !hw_id.is_empty() {
		extra.push(ext("1.3.6.1.4.1.3704.1.4", false, hw_id.to_vec()));
	}
	if turin {
		extra.push(ext("1.3.6.1.4.1.3704.1.3.9", false, der_int(fmc)));
	}
	let vcek = cert(CertSpec {
		subject: name("SEV-VCEK"),
		subject_key: &vcek_key,
		issuer: name("SEV-Test"),
		issuer_key: &ask_key,
		ca: false,
		not_before: T2024,
		not_after: T2030,
		extra,
	});
	Synth { ark, ask, vcek, vcek_key }
}

struct ReportSpec {
	version: u32,
	policy: u64,
	report_data: [u8; 64],
	measurement: [u8; 48],
	tcb: [u8; 8],
	family: u8,
	chip_id: [u8; 64],
	key_info: u32,
	host_data: [u8; 32],
	vmpl: u32,
}

impl Default for ReportSpec {
	fn default() -> Self {
		let mut report_data = [0u8; 64];
		report_data[..32].copy_from_slice(&provider_binding(b"provider-a"));
		Self {
			version: 2,
			policy: 0x30000,
			report_data,
			measurement: [0x11; 48],
			tcb: [3, 0, 0, 0, 0, 0, 8, 115],
			family: 0x19,
			chip_id: CHIP_ID,
			key_info: 0,
			host_data: [0x22; 32],
			vmpl: 0,
		}
	}
}

fn sign_report(spec: &ReportSpec, key: &SigningKey) -> Vec<u8> {
	let mut r = vec![0u8; REPORT_LEN];
	r[0..4].copy_from_slice(&spec.version.to_le_bytes());
	r[0x08..0x10].copy_from_slice(&spec.policy.to_le_bytes());
	r[0x30..0x34].copy_from_slice(&spec.vmpl.to_le_bytes());
	r[0xC0..0xE0].copy_from_slice(&spec.host_data);
	r[0x34..0x38].copy_from_slice(&1u32.to_le_bytes());
	r[0x48..0x4C].copy_from_slice(&spec.key_info.to_le_bytes());
	r[0x50..0x90].copy_from_slice(&spec.report_data);
	r[0x90..0xC0].copy_from_slice(&spec.measurement);
	r[0x180..0x188].copy_from_slice(&spec.tcb);
	if spec.version >= 3 {
		r[0x188] = spec.family;
	}
	r[0x1A0..0x1E0].copy_from_slice(&spec.chip_id);
	let sig: Signature = key.sign(&r[..SIGNED_LEN]);
	let (rb, sb) = sig.split_bytes();
	let mut rle = rb.to_vec();
	rle.reverse();
	let mut sle = sb.to_vec();
	sle.reverse();
	r[0x2A0..0x2A0 + 48].copy_from_slice(&rle);
	r[0x2E8..0x2E8 + 48].copy_from_slice(&sle);
	r
}

fn verify_synth(
	s: &Synth,
	report: &[u8],
	policy: &Policy,
	provider: &[u8],
) -> Result<aicf_attestation_verify::Verified, AttestationError> {
	sev_snp::verify(report, &s.vcek, &s.ask, &[&s.ark], policy, &provider_binding(provider), T2026)
}

#[test]
fn synthetic_report_bound_to_a_provider_verifies() {
	let s = synth(&CHIP_ID, [0, 3, 0, 8, 115], false);
	let report = sign_report(&ReportSpec::default(), &s.vcek_key);
	let v = verify_synth(&s, &report, &Policy::default(), b"provider-a").unwrap();
	assert_eq!(v.measurement, [0x11; 48]);
	assert_eq!(v.not_after, T2030);
	assert_eq!(
		verify_synth(&s, &report, &Policy::default(), b"provider-b"),
		Err(AttestationError::ReportDataBinding)
	);
}

#[test]
fn debug_guest_is_refused_unless_policy_allows_it() {
	let s = synth(&CHIP_ID, [0, 3, 0, 8, 115], false);
	let report = sign_report(
		&ReportSpec { policy: 0x30000 | sev_snp::POLICY_DEBUG, ..Default::default() },
		&s.vcek_key,
	);
	assert_eq!(
		verify_synth(&s, &report, &Policy::default(), b"provider-a"),
		Err(AttestationError::Debug)
	);
	let v = verify_synth(
		&s,
		&report,
		&Policy { allow_debug: true, ..Policy::default() },
		b"provider-a",
	)
	.unwrap();
	assert!(v.debug);
}

#[test]
fn vcek_for_another_chip_or_tcb_is_a_collateral_mismatch() {
	let report_spec = ReportSpec::default();
	// another chip
	let s = synth(&[0x5b; 64], [0, 3, 0, 8, 115], false);
	let report = sign_report(&report_spec, &s.vcek_key);
	assert_eq!(
		verify_synth(&s, &report, &Policy::default(), b"provider-a"),
		Err(AttestationError::CollateralMismatch)
	);
	// each TCB component differs
	for spl in [[0, 2, 0, 8, 115], [0, 3, 1, 8, 115], [0, 3, 0, 7, 115], [0, 3, 0, 8, 200]] {
		let s = synth(&CHIP_ID, spl, false);
		let report = sign_report(&report_spec, &s.vcek_key);
		assert_eq!(
			verify_synth(&s, &report, &Policy::default(), b"provider-a"),
			Err(AttestationError::CollateralMismatch),
			"{spl:?}"
		);
	}
}

#[test]
fn version3_turin_report_uses_the_turin_tcb_layout() {
	// Turin TCB_VERSION: fmc, bootloader, tee, snp, reserved×3, microcode
	let spec = ReportSpec {
		version: 3,
		family: 0x1A,
		tcb: [1, 4, 2, 9, 0, 0, 0, 77],
		..Default::default()
	};
	// Turin hwIDs are 8 bytes: the start of CHIP_ID, the rest zero
	let mut chip_id = [0u8; 64];
	chip_id[..8].copy_from_slice(&[0x1e, 0x55, 0x0a, 0x8e, 0xe5, 0xcf, 0x9f, 0x4d]);
	let spec = ReportSpec { chip_id, ..spec };
	let s = synth(&chip_id[..8], [1, 4, 2, 9, 77], true);
	let report = sign_report(&spec, &s.vcek_key);
	let at = Policy { sev_min_tcb: [4, 2, 9, 77], ..Policy::default() };
	assert_eq!(
		verify_synth(&s, &report, &at, b"provider-a").unwrap().tcb_status,
		TcbStatus::NotApplicable
	);
	let above = Policy { sev_min_tcb: [4, 2, 10, 77], ..Policy::default() };
	assert_eq!(
		verify_synth(&s, &report, &above, b"provider-a"),
		Err(AttestationError::TcbStatus(TcbStatus::OutOfDate))
	);
	// a VCEK with another FMC level does not match
	let s2 = synth(&chip_id[..8], [2, 4, 2, 9, 77], true);
	let report2 = sign_report(&spec, &s2.vcek_key);
	assert_eq!(
		verify_synth(&s2, &report2, &at, b"provider-a"),
		Err(AttestationError::CollateralMismatch)
	);
	// an unknown CPU family in a version 3 report
	let odd =
		sign_report(&ReportSpec { version: 3, family: 0x17, ..Default::default() }, &s.vcek_key);
	assert_eq!(verify_synth(&s, &odd, &at, b"provider-a"), Err(AttestationError::Unsupported));
}

#[test]
fn ask_that_is_not_a_ca_breaks_the_chain() {
	let ark_key = key(1);
	let ask_key = key(2);
	let s = synth(&CHIP_ID, [0, 3, 0, 8, 115], false);
	let ask = cert(CertSpec {
		subject: name("SEV-Test"),
		subject_key: &ask_key,
		issuer: name("ARK-Test"),
		issuer_key: &ark_key,
		ca: false,
		not_before: T2024,
		not_after: T2040,
		extra: vec![],
	});
	let report = sign_report(&ReportSpec::default(), &s.vcek_key);
	assert_eq!(
		sev_snp::verify(
			&report,
			&s.vcek,
			&ask,
			&[&s.ark],
			&Policy::default(),
			&provider_binding(b"provider-a"),
			T2026
		),
		Err(AttestationError::Chain)
	);
}

#[test]
fn vlek_signed_report_needs_no_chip_id_but_must_match_the_tcb() {
	// VLEK certificates are not tied to a chip: no hwID extension. Signing key field = 1.
	let s = synth(&[], [0, 3, 0, 8, 115], false);
	let vlek = ReportSpec { key_info: 1 << 2, chip_id: [0; 64], ..Default::default() };
	let report = sign_report(&vlek, &s.vcek_key);
	assert!(verify_synth(&s, &report, &Policy::default(), b"provider-a").is_ok());
	let s2 = synth(&[], [0, 3, 0, 9, 115], false);
	let report2 = sign_report(&vlek, &s2.vcek_key);
	assert_eq!(
		verify_synth(&s2, &report2, &Policy::default(), b"provider-a"),
		Err(AttestationError::CollateralMismatch)
	);
	// the same report claiming the VCEK signed it: the certificate has no hwID
	let vcek = ReportSpec { chip_id: [0; 64], ..Default::default() };
	let report3 = sign_report(&vcek, &s.vcek_key);
	assert_eq!(
		verify_synth(&s, &report3, &Policy::default(), b"provider-a"),
		Err(AttestationError::CollateralMismatch)
	);
}

#[test]
fn masked_chip_id_skips_the_hw_id_comparison() {
	// MASK_CHIP_KEY (bit 1): CHIP_ID reads as zero
	let s = synth(&CHIP_ID, [0, 3, 0, 8, 115], false);
	let masked = ReportSpec { key_info: 1 << 1, chip_id: [0; 64], ..Default::default() };
	let report = sign_report(&masked, &s.vcek_key);
	assert!(verify_synth(&s, &report, &Policy::default(), b"provider-a").is_ok());
	let unmasked = ReportSpec { chip_id: [0; 64], ..Default::default() };
	let report = sign_report(&unmasked, &s.vcek_key);
	assert_eq!(
		verify_synth(&s, &report, &Policy::default(), b"provider-a"),
		Err(AttestationError::CollateralMismatch)
	);
}

/// Deterministic xorshift, so every run checks the same mutations.
struct Rng(u64);

impl Rng {
	fn next(&mut self) -> u64 {
		self.0 ^= self.0 << 13;
		self.0 ^= self.0 >> 7;
		self.0 ^= self.0 << 17;
		self.0
	}
	fn below(&mut self, n: usize) -> usize {
		(self.next() % n as u64) as usize
	}
}

#[test]
fn random_mutations_of_the_milan_evidence_never_panic_and_only_pass_outside_the_signed_bytes() {
	let m = milan();
	let p = Policy::default();
	let b = milan_binding();
	let mut rng = Rng(0xA5A5_5A5A_0123_4567);
	let mut accepted = 0;
	for round in 0..3000 {
		let target = round % 3;
		let mut report = m.report.clone();
		let mut vcek = m.vcek.clone();
		let mut ask = m.ask.clone();
		let buf = match target {
			0 => &mut report,
			1 => &mut vcek,
			_ => &mut ask,
		};
		let mut lowest_changed = usize::MAX;
		for _ in 0..1 + rng.below(4) {
			let i = rng.below(buf.len());
			let v = rng.next() as u8;
			if buf[i] != v {
				lowest_changed = lowest_changed.min(i);
			}
			buf[i] = v;
		}
		if rng.below(8) == 0 {
			let keep = rng.below(buf.len());
			buf.truncate(keep);
			lowest_changed = lowest_changed.min(keep);
		}
		let r = sev_snp::verify(&report, &vcek, &ask, &[&m.ark], &p, &b, NOW);
		if r.is_ok() {
			accepted += 1;
			// only the reserved bytes after the signature are neither signed nor read
			assert!(
				lowest_changed == usize::MAX || (target == 0 && lowest_changed >= 0x330),
				"round {round}: accepted a change at {lowest_changed:#x} of input {target}"
			);
		}
	}
	assert!(accepted > 0 && accepted < 1500, "{accepted}");
}
