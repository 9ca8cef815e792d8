#!/usr/bin/env bash
# Report benchmark (issue 4), on the 10 M-appeal workspace of scripts/bench-refresh.sh (run
# that first; BENCH_DIR as there):
#   (a) examples/report_cold_warm.rs: one monthly report first in a process and warm (queries and
#       typesetting apart), every city-wide report of the pilot year, resident memory after
#       10, 50 and 100 reports;
#   (b) `rexian report monthly` from process start to PDF written, three times;
#   (c) when the `typst` CLI is installed (`cargo install typst-cli --version 0.15.1`), its
#       `typst compile` on the very sources of (a)'s warm report, best of three.
# Usage: scripts/bench-report.sh [MONTH (default 2024-03)]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/rexian-target}
command -v ccache >/dev/null && export CC="ccache cc" CXX="ccache c++"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
MONTH=${1:-2024-03}
OUT=${BENCH_DIR:-$PWD/bench-out/refresh}
WS="$OUT/ws"
[ -f "$WS/warehouse/rexian.duckdb" ] || { echo "no warehouse in $WS: run scripts/bench-refresh.sh first" >&2; exit 2; }
cargo build --release --bin rexian --example report_cold_warm
BIN=$CARGO_TARGET_DIR/release/rexian
SRC="$OUT/typst-sources"
rm -rf "$SRC"

echo "== (a) in one process"
"$CARGO_TARGET_DIR/release/examples/report_cold_warm" "$WS" "$MONTH" "$SRC"

echo "== (b) process start to PDF written"
for i in 1 2 3; do
  /usr/bin/time -f "RESULT cold: %e s, peak RSS %M KiB" "$BIN" -w "$WS" report monthly "$MONTH" --out "$OUT/cold" >/dev/null
done

echo "== (c) the typst CLI on the same sources"
if command -v typst >/dev/null; then
  typst --version
  best=""
  for i in 1 2 3; do
    s=$(date +%s.%N)
    # (its warnings name the official fonts that are not installed)
    typst compile --root "$SRC" "$SRC/period-report.typ" "$OUT/cli.pdf" 2>/dev/null
    e=$(date +%s.%N)
    t=$(python3 -c "print(f'{$e - $s:.3f}')")
    echo "typst compile: $t s"
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $t < $best else 1)"; then best=$t; fi
  done
  echo "RESULT typst CLI best of three: $best s (compare with the warm typesetting figure of (a))"
else
  echo "the typst CLI is not installed (cargo install typst-cli --version 0.15.1); skipped"
fi
