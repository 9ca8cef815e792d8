#!/usr/bin/env bash
# The main job on the embedded defaults: set up, build, and run `rexian demo` (generate the
# baseline and pilot years' extracts, load them into the warehouse and the lake).
# Usage: scripts/demo.sh [DEMO_DIR]   (default: ./rexian-demo)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
rexian_setup
cargo build --release --bin rexian
exec "$CARGO_TARGET_DIR/release/rexian" demo --dir "${1:-rexian-demo}"
