#!/usr/bin/env bash
# Installs what the build needs on a fresh Debian machine of this kind; safe to re-run.
# - protobuf-compiler: libp2p's protocol definitions;
# - libssl-dev, pkg-config: the system OpenSSL, which the WebRTC transport links instead of
#   compiling its vendored copy (scripts/env.sh: OPENSSL_NO_VENDOR);
# - clang: the C++ compiler for the wasm builder's binaryen (scripts/env.sh: CXX);
# - chromium: the headless browser the dashboard's end-to-end test drives (tests/e2e).
set -euo pipefail
missing=()
command -v protoc >/dev/null 2>&1 || missing+=(protobuf-compiler)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
[ -f /usr/include/openssl/ssl.h ] || missing+=(libssl-dev)
command -v clang++ >/dev/null 2>&1 || missing+=(clang)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ]; then
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
	else
		echo "missing Debian packages (install them as root): ${missing[*]}" >&2
		exit 1
	fi
fi
rustup target list --installed | grep -qx wasm32v1-none || rustup target add wasm32v1-none
# clippy and rustfmt gate the test command.
installed=$(rustup component list --installed)
for c in clippy rustfmt; do
	grep -q "^$c" <<<"$installed" || rustup component add "$c"
done
