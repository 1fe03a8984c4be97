#!/usr/bin/env bash
# Sourced by every build script (never run): prepares the machine (scripts/setup.sh) and sets the
# one cargo target directory and the one cargo invocation every script builds with.
#
# One profile (release) and one feature resolution for the tests, the dev node and the scale
# tooling: the whole workspace with the node's `runtime-benchmarks` (which turns it on in the
# runtime and both pallets, so the pallets' benchmark tests run in `cargo test`). Whichever
# command runs first builds everything once; the others find it built. `cargo build -p
# aicf-node` alone would resolve features differently and compile ~150 crates again. The node's
# `benchmark` subcommand is the extra feature `benchmark-cli`, built only by
# scripts/benchmark-weights.sh (AICF_BENCH_CARGO). Production nodes are built without either
# (docs/runtime.md).
# shellcheck disable=SC2034 # AICF_CARGO is used by the scripts that source this file.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/aicf/target}
AICF_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The vendor fixtures beside the repository (absolute, for every suite).
export AICF_FIXTURES=${AICF_FIXTURES:-$(cd "$AICF_ROOT/.." && pwd)/shared/fixtures}
AICF_CARGO=(--release --locked --workspace --features aicf-node/runtime-benchmarks)
AICF_BENCH_CARGO=(--release --locked --workspace --features aicf-node/benchmark-cli)
# frame-benchmarking-cli's `runtime-benchmarks` pulls in a test runtime whose wasm only its
# `benchmark storage` PoV check uses (this project benchmarks pallets, not storage): skip that
# second wasm build.
export SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1
"$AICF_ROOT/scripts/setup.sh"
# Cold-build time (docs/PERFORMANCE.md §9): the WebRTC transport (litep2p → str0m) links the
# system OpenSSL instead of compiling the vendored one (7 minutes of a core), and binaryen's
# C++ (the wasm builder's wasm-opt, ≈ 220 files) compiles with clang, which took ≈ 23 % less
# time than gcc on a sample of them.
export OPENSSL_NO_VENDOR=1
export CXX=${CXX:-clang++}
# Clippy lints the workspace's crates as they compile, warnings as errors: clippy-driver is the
# rustc wrapper of workspace members, which is how `cargo clippy` itself runs it. Every build is
# then the linted build and the dependencies compile once — a separate `cargo clippy` would
# type-check all of them a second time (35 minutes of a cold `.ci/run` on 2 cores).
export RUSTC_WORKSPACE_WRAPPER
RUSTC_WORKSPACE_WRAPPER="$(rustc --print sysroot)/bin/clippy-driver"
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"

# Builds (and lints) every target of the workspace with the flags above: what `cargo test`
# runs (libraries, binaries, tests, examples — the node `$CARGO_TARGET_DIR/release/aicf-node`,
# the `aicf` tool and the perf example among them), then the criterion benches, which only
# need to compile here. (`--all-targets` would build the examples a second way.) Filter tests
# by name, never with `--test`/`-p`: a narrower target selection resolves features differently
# and recompiles the runtime and the node.
# The first build writes cargo's timing report (which units ran when, and how busy the cores
# were: the cold build's budget, docs/PERFORMANCE.md §9) to $CARGO_TARGET_DIR/cargo-timings/.
aicf_build() {
	rm -f "$CARGO_TARGET_DIR"/cargo-timings/cargo-timing-*.html
	cargo test "${AICF_CARGO[@]}" --no-run --timings "$@"
	cargo test "${AICF_CARGO[@]}" --benches --no-run "$@"
}
