#!/usr/bin/env bash
# Runs the multi-validator network and crash-recovery suite (tests/network); see scripts/test-e2e.sh.
exec "$(dirname "$0")/test-e2e.sh" network
