#!/usr/bin/env bash
# Installs what the build needs on a fresh Debian machine of this kind; safe to re-run.
set -euo pipefail
if ! command -v protoc >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ]; then
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler >/dev/null
	else
		echo "protoc is missing: install Debian's protobuf-compiler (needs root)" >&2
		exit 1
	fi
fi
rustup target list --installed | grep -qx wasm32v1-none || rustup target add wasm32v1-none
# clippy and rustfmt gate the test command.
installed=$(rustup component list --installed)
for c in clippy rustfmt; do
	grep -q "^$c" <<<"$installed" || rustup component add "$c"
done
