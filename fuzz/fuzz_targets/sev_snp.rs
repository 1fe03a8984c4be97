//! Any bytes as an SEV-SNP evidence bundle (report ‖ VCEK DER ‖ ASK DER) against the pinned
//! Milan ARK, and as a report under the fixture VCEK and ASK: nothing may panic, and no input
//! may verify unless it is the fixture report itself. Seed the corpus with the fixture bundle
//! (`sev-snp/virtee-sev/tests/certs_data/report_milan.hex` decoded, then `vcek_milan.der`, then
//! the Milan ASK in DER).

#![no_main]

use std::sync::OnceLock;

use aicf_attestation_verify::{sev_snp, split_sev_snp_bundle, to_der};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

/// Inside the Milan VCEK's validity.
const T: u64 = 1_752_000_000;

struct Setup {
	ark: Vec<u8>,
	ask: Vec<u8>,
	vcek: Vec<u8>,
	report: Vec<u8>,
}

fn setup() -> &'static Setup {
	static S: OnceLock<Setup> = OnceLock::new();
	S.get_or_init(|| {
		let pem = |rel: &str| to_der(&common::fixture(rel)).expect("PEM certificate");
		let hex = common::fixture("sev-snp/virtee-sev/tests/certs_data/report_milan.hex");
		let text = String::from_utf8(hex).expect("ascii hex");
		Setup {
			ark: pem("sev-snp/virtee-sev/src/certs/snp/builtin/milan/ark.pem"),
			ask: pem("sev-snp/virtee-sev/src/certs/snp/builtin/milan/ask.pem"),
			vcek: common::fixture("sev-snp/virtee-sev/tests/certs_data/vcek_milan.der"),
			report: decode_hex(text.trim()),
		}
	})
}

fn decode_hex(s: &str) -> Vec<u8> {
	(0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex")).collect()
}

fuzz_target!(|data: &[u8]| {
	let s = setup();
	let policy = common::permissive();
	let _ =
		aicf_attestation_verify::workload_of(aicf_attestation_verify::EvidenceKind::SevSnp, data);
	if let Ok((report, vcek, ask)) = split_sev_snp_bundle(data) {
		let ok = sev_snp::verify(report, vcek, ask, &[&s.ark], &policy, &[], T).is_ok();
		assert!(!ok || report == s.report.as_slice(), "a report other than the fixture verified");
	}
	let ok = sev_snp::verify(data, &s.vcek, &s.ask, &[&s.ark], &policy, &[], T).is_ok();
	assert!(!ok || data == s.report.as_slice(), "a report other than the fixture verified");
	// Any bytes as the certificates and the pinned root.
	let _ = sev_snp::verify(&s.report, data, &s.ask, &[&s.ark], &policy, &[], T);
	let _ = sev_snp::verify(&s.report, &s.vcek, data, &[&s.ark], &policy, &[], T);
	let _ = sev_snp::verify(&s.report, &s.vcek, &s.ask, &[data], &policy, &[], T);
});
