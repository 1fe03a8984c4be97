#!/usr/bin/env bash
# Sets up the machine and runs every check and test: rustfmt, clippy (warnings are errors), unit,
# property, NIST vectors, the pallets' benchmark tests, the runtime (wasm included), the CLI
# against a dev node, the runtime simulation, and the polkadot-js and validator-network suites
# against the release binaries (side by side, below). Ends with `N passed, N failed` summed
# over every suite's own summary line.
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
# Seven days of the real runtime with a thousand providers (docs/simulation.md) first, alone:
# it computes (both cores), and the issue it answers bounds it at 3 minutes here. Then the
# other tests side by side, since most of them wait for blocks rather than compute: the
# workspace's `cargo test` (the CLI's online tests wait on a dev node's 6-second blocks), the
# polkadot-js end-to-end suite (tests/e2e; its dev-fast file watches 300 one-second blocks) and
# the validator-network suite (tests/network). Each writes its own log; the logs join this one
# at the end. The simulation's test binary runs directly (a second `cargo test` would wait for
# the first's lock).
sim_bin=$(cargo test "${AICF_CARGO[@]}" --no-run --message-format=json 2>/dev/null |
	grep -o '"executable":"[^"]*/deps/simulation-[0-9a-f]*"' | cut -d'"' -f4)
[ -x "$sim_bin" ] || { echo "the simulation's test binary was not built" >&2; exit 1; }
logs=$(mktemp -d /tmp/aicf-test-logs.XXXXXX)
step "the simulation, alone (log: $logs/simulation)"
sim_rc=0
sim_start=$(date +%s)
(cd runtime && exec "$sim_bin" --exact "$simulation" --nocapture) >"$logs/simulation" 2>&1 || sim_rc=$?
step "simulation done in $(($(date +%s) - sim_start)) s (exit $sim_rc)"
step "npm ci (tests/)"
(cd tests && npm ci --no-audit --no-fund --loglevel=error)
export AICF_NPM_READY=1
step "cargo test, the e2e and network suites, side by side (logs: $logs)"
pids=()
trap '[ ${#pids[@]} = 0 ] || kill "${pids[@]}" 2>/dev/null || true' EXIT INT TERM
for suite in e2e network; do
	scripts/test-e2e.sh "$suite" >"$logs/$suite" 2>&1 &
	pids+=($!)
done
cargo_rc=0
cargo test "${AICF_CARGO[@]}" --no-fail-fast -- --skip "$simulation" >"$logs/cargo-test" 2>&1 || cargo_rc=$?
step "cargo test done (exit $cargo_rc)"
e2e_rc=0 network_rc=0
wait "${pids[0]}" || e2e_rc=$?
wait "${pids[1]}" || network_rc=$?
pids=()
step "suites done"
for part in cargo-test e2e network simulation; do
	echo "== $part" | tee -a "$log"
	tee -a "$log" <"$logs/$part"
done
# A part that failed without its own verdict line (a crash, a kill, a timeout) still counts.
if [ "$cargo_rc" != 0 ] && ! grep -q '^test result: FAILED' "$logs/cargo-test"; then
	echo "test result: FAILED. 0 passed; 1 failed; 0 ignored (cargo test exited with $cargo_rc)" | tee -a "$log"
fi
# The simulation must have run (a renamed test would pass with `0 passed`) and printed its line.
if ! grep -q '^simulation: ' "$logs/simulation" || { [ "$sim_rc" != 0 ] && ! grep -q '^test result: FAILED' "$logs/simulation"; }; then
	echo "test result: FAILED. 0 passed; 1 failed; 0 ignored (the simulation exited with $sim_rc, summary line: $(grep -c '^simulation: ' "$logs/simulation"))" | tee -a "$log"
fi
for suite in e2e network; do
	rc_var=${suite}_rc
	if [ "${!rc_var}" != 0 ] && ! grep -Eq "^$suite: [0-9]+ passed, [1-9][0-9]* failed" "$logs/$suite"; then
		echo "$suite: 0 passed, 1 failed, 0 skipped" | tee -a "$log"
	fi
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
