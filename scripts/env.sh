#!/usr/bin/env bash
# Sourced by every build script (never run): prepares the machine (scripts/setup.sh) and sets the
# one cargo target directory and the one cargo invocation every script builds with.
#
# One profile (release) and one feature resolution for the tests, the dev node, the benchmarks
# and the scale tooling: the whole workspace with the node's `runtime-benchmarks` (which turns it
# on in the runtime and both pallets, so the pallets' benchmark tests run in `cargo test` and the
# node carries `benchmark pallet`). Whichever command runs first builds everything once; the
# others find it built. `cargo build -p aicf-node` alone would resolve features differently and
# compile ~150 crates again. Production nodes are built without it (docs/runtime.md).
# shellcheck disable=SC2034 # AICF_CARGO is used by the scripts that source this file.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/aicf/target}
AICF_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The vendor fixtures beside the repository (absolute, for every suite).
export AICF_FIXTURES=${AICF_FIXTURES:-$(cd "$AICF_ROOT/.." && pwd)/shared/fixtures}
AICF_CARGO=(--release --locked --workspace --features aicf-node/runtime-benchmarks)
"$AICF_ROOT/scripts/setup.sh"

# Builds every binary, example and test of the workspace (`cargo test --no-run` with the flags
# above): the node (`$CARGO_TARGET_DIR/release/aicf-node`), the `aicf` tool and the perf example.
aicf_build() {
	cargo test "${AICF_CARGO[@]}" --no-run "$@"
}
