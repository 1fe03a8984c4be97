//! Fixture loading, fixture times and the permissive policy shared by the fuzz targets (each
//! target uses some of them).

use std::path::PathBuf;

/// The fixture at `rel` below `$AICF_FIXTURES`, or below the fixtures beside the repository.
#[allow(dead_code)]
///
/// Loading a fixture also turns on the differential check of the signature host functions
/// (`sig::set_differential`): every signature a parser target verifies is checked by the
/// portable reference too, and a disagreement is a crash.
pub fn fixture(rel: &str) -> Vec<u8> {
	aicf_attestation_verify::sig::set_differential(true);
	let dir = std::env::var_os("AICF_FIXTURES")
		.map(PathBuf::from)
		.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures"));
	let path = dir.join(rel);
	std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Inside the validity window of the TDX fixture collateral (PROVENANCE.md).
#[allow(dead_code)]
pub const TDX_T: u64 = 1_752_919_234;
/// Inside the validity window of the SGX fixture collateral.
#[allow(dead_code)]
pub const SGX_T: u64 = 1_752_919_277;

/// A permissive policy: every TCB status, debug allowed, any measurement. The targets look
/// for panics and for acceptance of inputs that cannot be genuine, not for policy refusals.
#[allow(dead_code)]
pub fn permissive() -> aicf_attestation_verify::Policy {
	aicf_attestation_verify::Policy {
		accepted_tcb: aicf_attestation_verify::TcbStatusSet(0xFF),
		allow_debug: true,
		..Default::default()
	}
}
