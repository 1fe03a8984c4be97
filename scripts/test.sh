#!/usr/bin/env bash
# Sets up the machine and runs every check and test: rustfmt, clippy (warnings are errors), unit,
# property, NIST vectors, the pallets' benchmark tests, the runtime (wasm included), the CLI
# against a dev node, then the polkadot-js and validator-network suites against the release
# binaries. Ends with `N passed, N failed` summed over every suite's own summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
log=$(mktemp /tmp/aicf-test.XXXXXX.log)
echo "test log: $log"
start=$(date +%s)

step() { echo "== $1 ($(($(date +%s) - start)) s)" | tee -a "$log"; }
simulation=simulation_seven_days_a_thousand_providers
step "rustfmt"
cargo fmt --all --check
# The fuzz targets are their own workspace (cargo-fuzz); rustfmt checks their files directly.
rustfmt --check --edition 2021 --config-path rustfmt.toml fuzz/fuzz_targets/*.rs
step "build, linted by clippy as it compiles (warnings are errors; scripts/env.sh)"
aicf_build
step "cargo test"
cargo test "${AICF_CARGO[@]}" -- --skip "$simulation" 2>&1 | tee -a "$log"
# Seven days of the real runtime with a thousand providers (docs/simulation.md); its one
# summary line (`simulation: …`) goes to the log.
step "simulation"
cargo test "${AICF_CARGO[@]}" -- --exact "$simulation" --nocapture 2>&1 | tee -a "$log"
# Real clients against the release nodes: polkadot-js end to end (tests/e2e), then validator
# networks and crash recovery (tests/network). Each ends with `<suite>: N passed, N failed, N
# skipped`; a failing suite does not stop the other one.
for suite in e2e network; do
	step "$suite suite"
	scripts/test-e2e.sh "$suite" 2>&1 | tee -a "$log" ||
		grep -Eq "^$suite: [0-9]+ passed, [1-9][0-9]* failed" "$log" ||
		echo "$suite: 0 passed, 1 failed, 0 skipped" | tee -a "$log"
done
end=$(date +%s)
# Only the summary lines: libtest's `test result: …` per test binary and each suite's verdict.
summary=$(grep -E '^test result: |^(e2e|network): [0-9]+ passed' "$log")
passed=$(grep -Eo '[0-9]+ passed' <<<"$summary" | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed' <<<"$summary" | awk '{s+=$1} END {print s+0}')
ignored=$(grep -Eo '[0-9]+ ignored' <<<"$summary" | awk '{s+=$1} END {print s+0}')
echo "all tests: $((end - start)) s (log: $log)"
echo "$passed passed, $failed failed, $ignored ignored"
[ "$failed" = 0 ] && [ "$ignored" = 0 ]
