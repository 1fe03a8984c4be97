#!/usr/bin/env bash
# RPC latency at scale and heartbeat throughput of the node (docs/PERFORMANCE.md §7, §8).
#
# For each N: a dev chain whose genesis holds N registered providers (cli/examples/perf.rs
# `spec`), one node (Alice, authoring alone, fresh state), then
#   - `perf rpc`: p50/p99 of aicf_listProviders pages of 100 (no filter, status, capability,
#     region) and aicf_getProvider, SAMPLES calls each;
#   - on the largest N only, `perf heartbeats`: one heartbeat from each of LOAD providers,
#     submitted as fast as the node takes them, with the node's CPU and memory sampled every
#     second while they are included;
#   - with PROOFS > 0 (docs/PERFORMANCE.md §10): the providers of the largest N are liveness
#     providers (`perf spec --liveness`: 32-byte keys, a hash chain committed at genesis) and
#     `perf proofs` sends the first liveness proof of PROOFS of them, in batches, as fast as
#     the node takes them: proofs, length, weight and build time per block, the node's CPU and
#     peak RSS, and the database size after.
#
# Usage: scripts/perf-scale.sh [N...]          (default: 1000 10000 100000)
#   env: SAMPLES (200; 0 = skip the RPC latency), LOAD (12000; 0 = skip), PROOFS (0 = skip),
#        PERF_DIR (/tmp/aicf-perf), RPC_PORT (9977)
#   e.g. SAMPLES=0 LOAD=0 PROOFS=700000 scripts/perf-scale.sh 1000000
# Not part of the test command: it needs several minutes and ~3 GB of disk for N = 100000
# (1 000 000 liveness providers: ≈ 25 minutes, ≈ 10 GB of disk).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
samples=${SAMPLES:-200}
load=${LOAD:-12000}
proofs=${PROOFS:-0}
dir=${PERF_DIR:-/tmp/aicf-perf}
port=${RPC_PORT:-9977}
mkdir -p "$dir"

# The same build as the test command (scripts/env.sh): nothing compiles twice.
aicf_build
node="$CARGO_TARGET_DIR/release/aicf-node"
perf="$CARGO_TARGET_DIR/release/examples/perf"

"$node" build-spec --chain dev --raw >"$dir/dev-raw.json" 2>/dev/null

pid=
stop() { [ -z "$pid" ] || { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; }; }
trap stop EXIT

# CPU (percent of one core) and RSS of process $1, once a second, until it exits or the
# file $2.stop appears.
sample() {
	local p=$1 out=$2 hz prev now
	hz=$(getconf CLK_TCK)
	prev=$(awk '{print $14+$15}' "/proc/$p/stat")
	while [ -e "/proc/$p" ] && [ ! -e "$out.stop" ]; do
		sleep 1
		now=$(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null) || break
		echo "$(( (now - prev) * 100 / hz )) $(awk '/VmRSS/{print $2}' "/proc/$p/status")" >>"$out"
		prev=$now
	done
}

largest=${sizes[-1]}
for n in "${sizes[@]}"; do
	echo "== N = $n"
	liveness=()
	[ "$n" = "$largest" ] && [ "$proofs" -gt 0 ] && liveness=(--liveness)
	/usr/bin/time -f "spec: %e s, peak RSS %M KB" \
		"$perf" spec --input "$dir/dev-raw.json" --output "$dir/spec-$n.json" --providers "$n" "${liveness[@]}"
	ls -l "$dir/spec-$n.json" | awk '{printf "spec: %.0f MB\n", $5/1e6}'
	rm -rf "$dir/db-$n"
	start=$(date +%s%N)
	"$node" --chain "$dir/spec-$n.json" --alice --force-authoring --base-path "$dir/db-$n" \
		--node-key 0000000000000000000000000000000000000000000000000000000000000001 \
		--rpc-port "$port" --port $((port + 1)) --no-prometheus --no-telemetry \
		--pool-limit 20000 --pool-kbytes 131072 --rpc-max-response-size 64 \
		>"$dir/node-$n.log" 2>&1 &
	pid=$!
	until grep -q "Imported #1" "$dir/node-$n.log"; do
		kill -0 "$pid" || { tail -20 "$dir/node-$n.log"; exit 1; }
		sleep 1
	done
	echo "node: first block $(( ($(date +%s%N) - start) / 1000000 )) ms after start"
	[ "$samples" -gt 0 ] && "$perf" rpc --url "ws://127.0.0.1:$port" --providers "$n" --samples "$samples" | tee "$dir/rpc-$n.md"
	if [ "$n" = "$largest" ] && [ "$proofs" -gt 0 ]; then
		rm -f "$dir/proofs.samples" "$dir/proofs.samples.stop"
		sample "$pid" "$dir/proofs.samples" &
		sampler=$!
		"$perf" proofs --url "ws://127.0.0.1:$port" --count "$proofs" --node-log "$dir/node-$n.log" | tee "$dir/proofs-$n.md"
		touch "$dir/proofs.samples.stop"
		wait "$sampler"
		awk '{c+=$1; if ($2>m) m=$2; k++} END {printf "node while loaded: %.0f %% CPU on average (of one core; 2 cores = 200 %%), peak RSS %.0f MB over %d s\n", c/k, m/1024, k}' \
			"$dir/proofs.samples" | tee -a "$dir/proofs-$n.md"
		du -sh "$dir/db-$n" | awk '{print "database: " $1}' | tee -a "$dir/proofs-$n.md"
	fi
	if [ "$n" = "$largest" ] && [ "$load" -gt 0 ]; then
		rm -f "$dir/load.samples" "$dir/load.samples.stop"
		sample "$pid" "$dir/load.samples" &
		sampler=$!
		"$perf" heartbeats --url "ws://127.0.0.1:$port" --count "$load" | tee "$dir/load-$n.md"
		touch "$dir/load.samples.stop"
		wait "$sampler"
		awk '{c+=$1; if ($2>m) m=$2; k++} END {printf "node while loaded: %.0f %% CPU on average (of one core; 2 cores = 200 %%), peak RSS %.0f MB over %d s\n", c/k, m/1024, k}' \
			"$dir/load.samples" | tee -a "$dir/load-$n.md"
	fi
	stop
	rm -rf "$dir/db-$n"
done
