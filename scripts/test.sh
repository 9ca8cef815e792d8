#!/usr/bin/env bash
# The whole test suite: set up, then `cargo test --release` (one profile everywhere, so DuckDB
# is built once). Extra arguments go to cargo test, e.g. scripts/test.sh lake
# Ends with one line that totals every test binary: "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
rexian_setup
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
cargo test --release "$@" 2>&1 | tee "$log" || status=$?
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
