#!/usr/bin/env bash
# Runs the polkadot-js end-to-end suite (tests/e2e) or the validator-network suite
# (tests/network) against the release aicf-node and aicf binaries: installs the locked npm
# dependencies of tests/ (one package; the helpers in tests/lib serve both suites), runs the test files with Node's
# built-in test runner (each file starts its own `aicf-node --dev --tmp` on free ports), stops
# every node it started whatever happens, and ends with one line
# `e2e: N passed, N failed, N skipped` (cancelled tests count as failed; skipped and todo tests
# are never counted as passed). Exit code 0 only when nothing failed.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/aicf/target}
export AICF_NODE=${AICF_NODE:-$CARGO_TARGET_DIR/release/aicf-node}
export AICF_CLI=${AICF_CLI:-$CARGO_TARGET_DIR/release/aicf}
suite=${1:-e2e}
case "$suite" in
e2e) dir=tests/e2e ;;
network) dir=tests/network ;;
*)
	echo "usage: $0 [e2e|network]" >&2
	exit 2
	;;
esac

work=$(mktemp -d "/tmp/aicf-$suite.XXXXXX")
export AICF_TEST_DIR=$work AICF_TEST_PIDS=$work/pids
touch "$AICF_TEST_PIDS"
cleanup() {
	[ -f "$AICF_TEST_PIDS" ] || return 0
	# Only the processes the tests started (their pids are recorded), and only if still aicf-node.
	while read -r pid; do
		if [ -n "$pid" ] && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == aicf-node* ]]; then
			kill -9 "$pid" 2>/dev/null || true
		fi
	done <"$AICF_TEST_PIDS"
}
trap cleanup EXIT INT TERM

start=$(date +%s)
verdict() {
	echo "$suite suite: $(($(date +%s) - start)) s (logs and node state: $work)"
	echo "$suite: $1 passed, $2 failed, $3 skipped"
}
for bin in "$AICF_NODE" "$AICF_CLI"; do
	if [ ! -x "$bin" ]; then
		echo "missing $bin: build it first (cargo build --release -p aicf-node -p aicf-cli)" >&2
		verdict 0 1 0
		exit 1
	fi
done
# scripts/test.sh installs them once for both suites, which it runs side by side.
if [ -z "${AICF_NPM_READY:-}" ] && ! (cd tests && npm ci --no-audit --no-fund --loglevel=error); then
	echo "npm ci failed in tests" >&2
	verdict 0 1 0
	exit 1
fi

tap=$work/results.tap
# A hung test cannot hold CI: the whole run is bounded.
(cd "$dir" && timeout --signal=TERM --kill-after=30 "${AICF_TEST_TIMEOUT:-900}" node --test --test-concurrency="${AICF_TEST_CONCURRENCY:-3}" \
	--test-reporter=spec --test-reporter-destination=stdout \
	--test-reporter=tap --test-reporter-destination="$tap" ./*.test.js)
rc=$?
count() { awk -v k="# $1" '$0 ~ "^"k" " {n=$3} END {print n+0}' "$tap"; }
pass=$(count pass)
fail=$(($(count fail) + $(count cancelled)))
skip=$(($(count skipped) + $(count todo)))
if [ "$rc" != 0 ] && [ "$fail" = 0 ]; then
	fail=1 # the runner itself failed
fi
cd "$root"
if [ "$fail" = 0 ] && [ -z "${AICF_KEEP_TEST_DIR:-}" ]; then
	cleanup
	rm -rf "$work" # node state and logs are kept only when something failed
fi
verdict "$pass" "$fail" "$skip"
[ "$fail" = 0 ]
