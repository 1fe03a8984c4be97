#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for SECS seconds each (default 60), seeded with the
# vendor fixtures, and fails on the first crash (libFuzzer leaves the input in
# fuzz/artifacts/<target>/). Installs cargo-fuzz if missing; stable Rust with
# RUSTC_BOOTSTRAP=1 stands in for nightly (sanitizer flags).
# Usage: scripts/fuzz.sh [SECS] [TARGET...]
#   FUZZ_RUNS=N runs each target for N executions instead of SECS seconds (the figure a
#   parser change must reach: FUZZ_RUNS=10000000).
#   targets: dcap_quote dcap_collateral sev_snp amd_crl cca quantum payloads ml_dsa_verify sig_differential
#   Sanitizer: none for the parser targets — their crates forbid `unsafe` (workspace lint
#   `unsafe_code = "forbid"`), so AddressSanitizer finds nothing there that a panic would not,
#   at 2–3× the cost per input — and address for `ml_dsa_verify`, whose libcrux code uses
#   unsafe SIMD. `sig_differential` (ring's C and assembly, which Rust's sanitizer flags do not
#   instrument) runs without. Every parser target also compares each signature check of the
#   host functions with the portable reference (the differential check `common::fixture` turns on). FUZZ_SANITIZER overrides both.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
secs=${1:-60}
shift $(($# > 0 ? 1 : 0))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(dcap_quote dcap_collateral sev_snp amd_crl cca quantum payloads ml_dsa_verify sig_differential)
export AICF_FIXTURES=${AICF_FIXTURES:-$root/../shared/fixtures}
export RUSTC_BOOTSTRAP=1
fuzz_target_dir=${FUZZ_TARGET_DIR:-$HOME/.cache/aicf/fuzz-target}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

seed() { # target → seed files
	local f=$AICF_FIXTURES
	case $1 in
	dcap_quote) echo "$f/dcap/dcap-qvl/sample/sgx_quote $f/dcap/dcap-qvl/sample/tdx_quote" ;;
	dcap_collateral) echo "$f/dcap/dcap-qvl/sample/sgx_quote_collateral.json $f/dcap/dcap-qvl/sample/tdx_quote_collateral.json" ;;
	cca) echo "$f/cca/rust-ccatoken/testdata/cca-token-01.cbor" ;;
	quantum) echo "$root/pallets/attestation/dev/quantum-bench-leaf.der" ;;
	amd_crl) echo "$root/pallets/attestation/dev/amd-crl-seed.der" ;;
	*) ;;
	esac
}

cd fuzz
for t in "${targets[@]}"; do
	corpus=$fuzz_target_dir/corpus/$t
	mkdir -p "$corpus"
	for s in $(seed "$t"); do cp "$s" "$corpus/"; done
	if [ "$t" = sev_snp ]; then
		# The bundle: report ‖ VCEK ‖ ASK (DER).
		d=$AICF_FIXTURES/sev-snp/virtee-sev
		{ xxd -r -p "$d/tests/certs_data/report_milan.hex"; cat "$d/tests/certs_data/vcek_milan.der"
		  sed '/-----/d' "$d/src/certs/snp/builtin/milan/ask.pem" | base64 -d; } >"$corpus/milan-bundle"
	fi
	if [ "$t" = payloads ]; then
		# A heartbeat committing to a liveness chain (docs/payloads.md), so the fuzzer starts
		# from the twelve-key form too.
		xxd -r -p <<<"ac0071616963662f6865617274626561742f7631015820000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f024cabababababababababababab0307041a661d6351055820cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd06182807192708080209080a5820eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee0b05" >"$corpus/heartbeat-chain"
	fi
	if [ -n "${FUZZ_RUNS:-}" ]; then
		budget=(-runs="$FUZZ_RUNS")
		echo "== $t: $FUZZ_RUNS executions"
	else
		budget=(-max_total_time="$secs")
		echo "== $t: $secs s"
	fi
	log=$fuzz_target_dir/$t.log
	start=$SECONDS
	sanitizer=${FUZZ_SANITIZER:-$([ "$t" = ml_dsa_verify ] && echo address || echo none)}
	if ! cargo fuzz run --release --sanitizer "$sanitizer" --target-dir "$fuzz_target_dir" "$t" "$corpus" -- \
		"${budget[@]}" -rss_limit_mb=4096 -print_final_stats=1 >"$log" 2>&1; then
		tail -40 "$log"
		echo "fuzz: $t failed (log $log)"
		exit 1
	fi
	grep -E "^stat::(number_of_executed_units|peak_rss_mb)|^#[0-9]+ +DONE" "$log" || true
	echo "$t: $((SECONDS - start)) s"
done
if [ -n "${FUZZ_RUNS:-}" ]; then each="$FUZZ_RUNS executions"; else each="$secs s"; fi
echo "fuzz: ${#targets[@]} targets, $each each, no crash"
