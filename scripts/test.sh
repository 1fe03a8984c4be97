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
# Seven days of the real runtime with a thousand providers (docs/simulation.md) runs beside the
# other tests, niced: it is CPU work, while the CLI's online tests and the two suites mostly wait
# for blocks. Its test binary runs directly (a second `cargo test` would wait for the first's
# lock); its output, with the one summary line `simulation: …`, joins the log at the end.
sim_bin=$(cargo test "${AICF_CARGO[@]}" --no-run --message-format=json 2>/dev/null |
	grep -o '"executable":"[^"]*/deps/simulation-[0-9a-f]*"' | cut -d'"' -f4)
[ -x "$sim_bin" ] || { echo "the simulation's test binary was not built" >&2; exit 1; }
sim_log=$(mktemp /tmp/aicf-simulation.XXXXXX.log)
step "simulation started beside the rest (log: $sim_log)"
(cd runtime && exec nice -n 10 "$sim_bin" --exact "$simulation" --nocapture) >"$sim_log" 2>&1 &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true' EXIT
step "cargo test"
cargo test "${AICF_CARGO[@]}" -- --skip "$simulation" 2>&1 | tee -a "$log"
# Real clients against the release nodes: polkadot-js end to end (tests/e2e), then validator
# networks and crash recovery (tests/network). Each ends with `<suite>: N passed, N failed, N
# skipped`; a failing suite does not stop the other one.
for suite in e2e network; do
	step "$suite suite"
	scripts/test-e2e.sh "$suite" 2>&1 | tee -a "$log" ||
		grep -Eq "^$suite: [0-9]+ passed, [1-9][0-9]* failed" "$log" ||
		echo "$suite: 0 passed, 1 failed, 0 skipped" | tee -a "$log"
done
step "simulation"
sim_rc=0
wait "$sim_pid" || sim_rc=$?
tee -a "$log" <"$sim_log"
# A simulation that died without libtest's verdict (a crash, a kill) still counts as failed.
[ "$sim_rc" = 0 ] || grep -q '^test result: FAILED' "$sim_log" ||
	echo "test result: FAILED. 0 passed; 1 failed; 0 ignored (the simulation exited with $sim_rc)" | tee -a "$log"
end=$(date +%s)
# Only the summary lines: libtest's `test result: …` per test binary and each suite's verdict.
summary=$(grep -E '^test result: |^(e2e|network): [0-9]+ passed' "$log")
passed=$(grep -Eo '[0-9]+ passed' <<<"$summary" | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed' <<<"$summary" | awk '{s+=$1} END {print s+0}')
ignored=$(grep -Eo '[0-9]+ ignored' <<<"$summary" | awk '{s+=$1} END {print s+0}')
echo "all tests: $((end - start)) s (log: $log)"
echo "$passed passed, $failed failed, $ignored ignored"
[ "$failed" = 0 ] && [ "$ignored" = 0 ]
