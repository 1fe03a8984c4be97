#!/usr/bin/env bash
# Builds the workspace as the test command does (scripts/env.sh: one feature resolution, so
# after `scripts/test.sh` nothing compiles again) and starts a one-authority dev chain (Alice)
# that produces blocks at once. Extra arguments go to the node, e.g.
# `scripts/run-dev-node.sh --rpc-port 9955`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
aicf_build
port=9944
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
	[ "${args[$i]}" = "--rpc-port" ] && port=${args[$((i + 1))]}
done
cat <<MSG

aicf-node --dev is starting (state in a temporary directory, gone when it stops).
  JSON-RPC / WebSocket:  ws://127.0.0.1:${port}   (HTTP: http://127.0.0.1:${port})
  polkadot-js Apps:      https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A${port}#/explorer
  registry RPC:          aicf_listProviders, aicf_getProvider, aicf_getBalance (docs/rpc.md)
Stop with Ctrl-C.

MSG
exec "$CARGO_TARGET_DIR/release/aicf-node" --dev --tmp --rpc-cors all "${args[@]}"
