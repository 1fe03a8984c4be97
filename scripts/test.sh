#!/usr/bin/env bash
# Sets up the machine and runs every test: unit, property, NIST vectors, benchmark tests,
# the runtime (wasm included) and the dev node end to end.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/aicf/target}
# The vendor fixtures beside the repository (absolute, for every suite).
export AICF_FIXTURES=${AICF_FIXTURES:-$(cd .. && pwd)/shared/fixtures}
scripts/setup.sh
start=$(date +%s)
# One profile (release) and one feature set for everything, so nothing compiles twice.
cargo test --release --workspace --locked 2>&1 | tee /tmp/aicf-test.log
# Benchmark tests run the frame-benchmarking v2 suites of both pallets in their mock runtimes.
cargo test --release --locked -p pallet-aicf-registry -p pallet-aicf-attestation \
	--features pallet-aicf-registry/runtime-benchmarks,pallet-aicf-attestation/runtime-benchmarks \
	benchmark 2>&1 | tee -a /tmp/aicf-test.log
# Real clients against the release nodes: polkadot-js end to end (tests/e2e), then validator
# networks and crash recovery (tests/network). Each prints `<suite>: N passed, N failed, N
# skipped`, counted below; a failing suite does not stop the other one.
for suite in e2e network; do
	scripts/test-e2e.sh "$suite" 2>&1 | tee -a /tmp/aicf-test.log ||
		grep -Eq "^$suite: [0-9]+ passed, [1-9][0-9]* failed" /tmp/aicf-test.log ||
		echo "$suite: 0 passed, 1 failed" | tee -a /tmp/aicf-test.log
done
end=$(date +%s)
passed=$(grep -Eo '[0-9]+ passed' /tmp/aicf-test.log | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed' /tmp/aicf-test.log | awk '{s+=$1} END {print s+0}')
echo "all tests: $((end - start)) s"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
