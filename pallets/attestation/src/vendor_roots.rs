//! Vendor trust anchors for genesis presets, read at build time from the shared vendor data
//! (`$AICF_FIXTURES`, else `../shared/fixtures`; see `build.rs`). Each folder's
//! `PROVENANCE.md` records where the bytes come from and their fingerprints.
//!
//! When the data is absent at build time both lists are empty and genesis pins nothing;
//! governance then adds roots with `add_root`.

use crate::RootKind;
use alloc::{vec, vec::Vec};

#[cfg(aicf_fixtures)]
macro_rules! vendor {
	($rel:literal) => {
		include_bytes!(concat!(env!("AICF_FIXTURES_DIR"), "/", $rel)).to_vec()
	};
}

/// Production vendor roots: the Intel SGX Root CA (DER) and AMD's ARKs for Milan, Genoa and
/// Turin (PEM).
pub fn published() -> Vec<(RootKind, Vec<u8>)> {
	#[cfg(aicf_fixtures)]
	return vec![
		(RootKind::IntelSgx, vendor!("dcap/intel/TrustedRootCA.der")),
		(RootKind::AmdArk, vendor!("sev-snp/virtee-sev/src/certs/snp/builtin/milan/ark.pem")),
		(RootKind::AmdArk, vendor!("sev-snp/virtee-sev/src/certs/snp/builtin/genoa/ark.pem")),
		(RootKind::AmdArk, vendor!("sev-snp/virtee-sev/src/certs/snp/builtin/turin/ark.pem")),
	];
	#[cfg(not(aicf_fixtures))]
	vec![]
}

/// The development quantum facility's root certificate (DER): its key is public knowledge
/// (`aicf_attestation_verify::dev_facility`), so anyone can issue identity certificates under
/// it. A test checks these bytes against `dev_facility::root_der()`.
pub const DEV_QUANTUM_FACILITY_ROOT: &[u8] = include_bytes!("../dev/quantum-facility-root.der");

/// The development AMD root (ARK) certificate (DER, P-384): its key is public knowledge
/// (`aicf_attestation_verify::dev_facility::amd`). No preset pins it; benchmarks and tests
/// pin it to upload the CRLs it issues. A test checks these bytes against `amd::ark_der()`.
pub const DEV_AMD_ARK: &[u8] = include_bytes!("../dev/amd-dev-ark.der");

/// `thisUpdate` and `nextUpdate` of `dev/amd-crl-bench.der`, the largest CRL the development
/// ARK issues (serials `1..=MAX_REVOKED_SERIALS`): 2026-01-01 and 2046-01-01.
pub const AMD_CRL_BENCH_WINDOW: (u64, u64) = (1_767_225_600, 2_398_377_600);

/// The development Arm CCA platform's trust anchors (DER `CcaTrustAnchor`: instance ID and
/// platform attestation key), one per curve — P-256 (ES256 tokens), P-384 (ES384), P-521
/// (ES512). Their private keys are public knowledge (`aicf_attestation_verify::dev_facility::cca`),
/// so anyone can make CCA tokens for any realm under them — the development chains' TEE, with
/// which an `ai` provider reaches ACTIVE without Arm hardware. A test checks these bytes
/// against `dev_facility::cca::trust_anchor_der()`.
pub const DEV_CCA_ANCHORS: [&[u8]; 3] = [
	include_bytes!("../dev/cca-anchor-p256.der"),
	include_bytes!("../dev/cca-anchor-p384.der"),
	include_bytes!("../dev/cca-anchor-p521.der"),
];

/// The trust anchor of the TF-A FVP test platform (its CPAK as PEM or DER): `None` if the key
/// does not decode.
pub fn tfa_fvp_anchor(cpak: &[u8]) -> Option<Vec<u8>> {
	let der = aicf_attestation_verify::to_der(cpak).ok()?;
	use aicf_attestation_verify::cca;
	cca::TrustAnchor::encode(&cca::TFA_FVP_TEST_INSTANCE_ID, &der).ok()
}

/// Roots for development chains only: the development quantum facility root, the
/// development CCA platform anchors, and the TF-A FVP test platform that signs Arm's sample
/// CCA tokens.
pub fn development() -> Vec<(RootKind, Vec<u8>)> {
	let dev = core::iter::once((RootKind::QuantumFacility, DEV_QUANTUM_FACILITY_ROOT.to_vec()))
		.chain(DEV_CCA_ANCHORS.iter().map(|a| (RootKind::ArmCcaPlatform, a.to_vec())));
	#[cfg(aicf_fixtures)]
	return dev
		.chain(
			tfa_fvp_anchor(&vendor!("cca/ccatoken/realm/testvectors/tf-rmm/cca_platform.pub"))
				.map(|a| (RootKind::ArmCcaPlatform, a)),
		)
		.collect();
	#[cfg(not(aicf_fixtures))]
	dev.collect()
}
