//! Finds the shared vendor fixtures (`$AICF_FIXTURES`, else `../../../shared/fixtures` from
//! this crate) for the benchmarks, which measure verification on real vendor evidence. When
//! they are absent the crate still builds; the fixture benchmarks are then left out.

use std::path::PathBuf;

fn main() {
	println!("cargo::rustc-check-cfg=cfg(aicf_fixtures)");
	println!("cargo::rerun-if-env-changed=AICF_FIXTURES");
	let dir = std::env::var_os("AICF_FIXTURES").map(PathBuf::from).unwrap_or_else(|| {
		PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
			.join("../../../shared/fixtures")
	});
	if let Ok(dir) = dir.canonicalize() {
		if dir.join("dcap").is_dir() {
			println!("cargo::rustc-env=AICF_FIXTURES_DIR={}", dir.display());
			println!("cargo::rustc-cfg=aicf_fixtures");
			println!("cargo::rerun-if-changed={}", dir.display());
		}
	}
}
