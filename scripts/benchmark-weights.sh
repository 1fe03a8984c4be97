#!/usr/bin/env bash
# Regenerates the weights of the pallets (pallets/registry/src/weights.rs,
# pallets/attestation/src/weights.rs, pallets/jobs/src/weights.rs) by running their frame-benchmarking v2 benchmarks inside
# the real runtime (wasm, compiled executor) on this machine, on the dev chain's genesis (the
# attestation benchmarks use the real vendor fixtures from ../shared/fixtures).
# Builds the node with its `benchmark` subcommand (feature `benchmark-cli`, scripts/env.sh:
# AICF_BENCH_CARGO, the test build's flags plus that feature, so dev-dependencies resolve as in
# the tests): the first run compiles frame-benchmarking-cli's ~120 crates, and the crates whose
# features it changes (codec, scale-info, frame-support and what depends on them) a second
# time. The node binary it leaves is the one with the subcommand; the next test build relinks
# the plain one. The benchmarks' JSON results go to $CARGO_TARGET_DIR/bench.
# Usage: scripts/benchmark-weights.sh [STEPS] [REPEAT] [PALLET...]
#   PALLET: registry, attestation, jobs (default: all three)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
steps=${1:-5}
repeat=${2:-10}
shift $(($# < 2 ? $# : 2))
pallets=("$@")
[ ${#pallets[@]} -gt 0 ] || pallets=(registry attestation jobs)
cargo test "${AICF_BENCH_CARGO[@]}" --no-run
bin="$CARGO_TARGET_DIR/release/aicf-node"
mkdir -p "$CARGO_TARGET_DIR/bench"
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
		--json-file "$CARGO_TARGET_DIR/bench/pallet_aicf_$p.json" \
		--output "pallets/$p/src/weights.rs" \
		--template scripts/weights-template.hbs
done
