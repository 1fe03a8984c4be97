//! Builds the AICF runtime to WebAssembly with `substrate-wasm-builder` and exposes it to the
//! native crate as `WASM_BINARY` (see `src/lib.rs`).

#[cfg(all(feature = "std", feature = "metadata-hash"))]
fn main() {
	substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_metadata_hash("AICF", 12)
		.build();
}

#[cfg(all(feature = "std", not(feature = "metadata-hash")))]
fn main() {
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}

/// The wasm builder is deactivated when compiling this crate for wasm itself (no `std`).
#[cfg(not(feature = "std"))]
fn main() {}
