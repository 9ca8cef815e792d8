#!/usr/bin/env bash
# The whole test suite: set up, then `cargo test --release` (one profile everywhere, so DuckDB
# is built once). Extra arguments go to cargo test, e.g. scripts/test.sh lake
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
rexian_setup
exec cargo test --release "$@"
