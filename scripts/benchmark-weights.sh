#!/usr/bin/env bash
# Regenerates the weights of both pallets (pallets/registry/src/weights.rs and
# pallets/attestation/src/weights.rs) by running their frame-benchmarking v2 benchmarks inside
# the real runtime (wasm, compiled executor) on this machine, on the dev chain's genesis (the
# attestation benchmarks use the real vendor fixtures from ../shared/fixtures).
# Builds aicf-node with `runtime-benchmarks` (adds frame-benchmarking-cli; not part of everyday
# builds), then rebuilds the ordinary node.
# Usage: scripts/benchmark-weights.sh [STEPS] [REPEAT] [PALLET...]
#   PALLET: registry, attestation (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/aicf/target}
scripts/setup.sh
steps=${1:-5}
repeat=${2:-10}
shift $(($# < 2 ? $# : 2))
pallets=("$@")
[ ${#pallets[@]} -gt 0 ] || pallets=(registry attestation)
cargo build --release --locked -p aicf-node --features runtime-benchmarks
bin="$CARGO_TARGET_DIR/release/aicf-node"
mkdir -p target/bench
for p in "${pallets[@]}"; do
	"$bin" benchmark pallet \
		--chain dev \
		--pallet "pallet_aicf_$p" \
		--extrinsic '*' \
		--wasm-execution compiled \
		--steps "$steps" \
		--repeat "$repeat" \
		--heap-pages 4096 \
		--header scripts/weights-header.txt \
		--json-file "target/bench/pallet_aicf_$p.json" \
		--output "pallets/$p/src/weights.rs" \
		--template scripts/weights-template.hbs
done
# Leave an ordinary (non-benchmark) node binary behind.
cargo build --release --locked -p aicf-node
