//! Builds the AICF runtime to WebAssembly with `substrate-wasm-builder` and exposes it to the
//! native crate as `WASM_BINARY` (see `src/lib.rs`).
//!
//! The workspace builds into a target directory outside the repository
//! (`CARGO_TARGET_DIR`), where the wasm builder cannot find the workspace's `Cargo.lock` by
//! walking up from `OUT_DIR`; without it the wasm build would resolve dependency versions
//! afresh. `WASM_BUILD_WORKSPACE_HINT` is therefore pointed at the workspace root unless the
//! caller already set it.

#[cfg(feature = "std")]
fn hint_workspace() {
	const HINT: &str = "WASM_BUILD_WORKSPACE_HINT";
	println!("cargo:rerun-if-env-changed={HINT}");
	if std::env::var_os(HINT).is_none() {
		// Read when the build script runs: a build script compiled in another checkout that
		// shares the target directory must not point at that checkout.
		let manifest = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
		if let Some(workspace) = std::path::Path::new(&manifest).parent() {
			std::env::set_var(HINT, workspace);
		}
	}
}

#[cfg(all(feature = "std", feature = "metadata-hash"))]
fn main() {
	hint_workspace();
	substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_metadata_hash("AICF", 12)
		.build();
}

#[cfg(all(feature = "std", not(feature = "metadata-hash")))]
fn main() {
	hint_workspace();
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}

/// The wasm builder is deactivated when compiling this crate for wasm itself (no `std`).
#[cfg(not(feature = "std"))]
fn main() {}
