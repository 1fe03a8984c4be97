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

/// The development Arm CCA platform's attestation key (DER `SubjectPublicKeyInfo`, P-384):
/// its private key is public knowledge (`aicf_attestation_verify::dev_facility::cca`), so
/// anyone can make CCA tokens for any realm under it — the development chains' TEE, with which
/// an `ai` provider reaches ACTIVE without Arm hardware. A test checks these bytes against
/// `dev_facility::cca::platform_key_der()`.
pub const DEV_CCA_PLATFORM_KEY: &[u8] = include_bytes!("../dev/cca-platform-key.der");

/// Roots for development chains only: the development quantum facility root, the
/// development CCA platform key, and the TF-M tools *test* CPAK that signs Arm's sample CCA
/// tokens.
pub fn development() -> Vec<(RootKind, Vec<u8>)> {
	let dev = vec![
		(RootKind::QuantumFacility, DEV_QUANTUM_FACILITY_ROOT.to_vec()),
		(RootKind::ArmCcaPlatform, DEV_CCA_PLATFORM_KEY.to_vec()),
	];
	#[cfg(aicf_fixtures)]
	return dev
		.into_iter()
		.chain([(
			RootKind::ArmCcaPlatform,
			vendor!("cca/ccatoken/realm/testvectors/tf-rmm/cca_platform.pub"),
		)])
		.collect();
	#[cfg(not(aicf_fixtures))]
	dev
}
