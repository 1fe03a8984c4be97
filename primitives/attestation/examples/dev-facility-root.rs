//! Writes the development quantum facility's root certificate (DER) to standard output, or,
//! with the argument `bench-leaf`, the identity certificate the attestation pallet's
//! benchmarks verify (issued to provider `0xbebebebebebebebebebebebe`):
//!
//! ```sh
//! cargo run --release -p aicf-attestation-verify --features dev-facility \
//!     --example dev-facility-root > pallets/attestation/dev/quantum-facility-root.der
//! cargo run --release -p aicf-attestation-verify --features dev-facility \
//!     --example dev-facility-root bench-leaf > pallets/attestation/dev/quantum-bench-leaf.der
//! ```

#![allow(clippy::expect_used)]

use aicf_attestation_verify::dev_facility;
use std::io::Write;

/// The provider the benchmark certificate is issued to.
pub const BENCH_PROVIDER: [u8; 12] = [0xBE; 12];

fn main() {
	let der = match std::env::args().nth(1).as_deref() {
		Some("bench-leaf") => dev_facility::issue(
			aicf_attestation_verify::provider_binding(&BENCH_PROVIDER),
			"AICF development facility",
			&["clifford", "t-depth"],
			dev_facility::DEV_ROOT_NOT_BEFORE,
			dev_facility::DEV_ROOT_NOT_AFTER,
		),
		_ => dev_facility::root_der(),
	}
	.expect("fixed inputs build");
	std::io::stdout().write_all(&der).expect("stdout");
}
