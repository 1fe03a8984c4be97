#!/usr/bin/env bash
# Regenerates pallets/registry/src/weights.rs by running the pallet's frame-benchmarking v2
# benchmarks inside the real runtime (wasm, compiled executor) on this machine.
# Builds aicf-node with `runtime-benchmarks` (adds frame-benchmarking-cli; not part of everyday
# builds). Usage: scripts/benchmark-weights.sh [STEPS] [REPEAT]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/aicf/target}
scripts/setup.sh
steps=${1:-2}
repeat=${2:-10}
cargo build --release --locked -p aicf-node --features runtime-benchmarks
bin="$CARGO_TARGET_DIR/release/aicf-node"
mkdir -p target/bench
"$bin" benchmark pallet \
	--chain dev \
	--pallet pallet_aicf_registry \
	--extrinsic '*' \
	--wasm-execution compiled \
	--steps "$steps" \
	--repeat "$repeat" \
	--heap-pages 4096 \
	--header scripts/weights-header.txt \
	--json-file target/bench/pallet_aicf_registry.json \
	--output pallets/registry/src/weights.rs \
	--template scripts/weights-template.hbs
# Leave an ordinary (non-benchmark) node binary behind.
cargo build --release --locked -p aicf-node
