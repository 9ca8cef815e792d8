#!/usr/bin/env bash
# Indicator benchmark (issue 3): on ~10 M generated appeals over 24 months (2022-11..2024-10),
#   (a) `rexian refresh` — every model and check — with its peak RSS, and
#   (b) the data of one month's report: every indicator, grade and analysis of 2024-03,
#       computed in one process (examples/month_report_data.rs).
# The workspace is kept in $BENCH_DIR/ws (default bench-out/refresh) so that (a) and (b) can
# be rerun without loading again: pass --reuse.
#
# Usage: scripts/bench-refresh.sh [PER_MONTH (default 417000)] [--reuse]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/rexian-target}
command -v ccache >/dev/null && export CC="ccache cc" CXX="ccache c++"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

PER_MONTH=${1:-417000}
OUT=${BENCH_DIR:-$PWD/bench-out/refresh}
cargo build --release --bin rexian --example month_report_data
BIN=$CARGO_TARGET_DIR/release/rexian
DATA=$CARGO_TARGET_DIR/release/examples/month_report_data

if [ "${2:-}" != "--reuse" ]; then
  rm -rf "$OUT" && mkdir -p "$OUT"
  echo "== generating 24 months of $PER_MONTH new appeals (CSV)"
  "$BIN" generate --out "$OUT/extracts" --per-month "$PER_MONTH" --format csv
  "$BIN" init "$OUT/ws" >/dev/null
  echo "== loading"
  /usr/bin/time -f "%e s, peak RSS %M KiB" -o "$OUT/ingest.time" "$BIN" -w "$OUT/ws" ingest -q "$OUT/extracts"
  echo "ingest: $(cat "$OUT/ingest.time")"
fi

echo "== (a) rexian refresh"
/usr/bin/time -f "%e s, peak RSS %M KiB" -o "$OUT/refresh.time" "$BIN" -w "$OUT/ws" refresh
echo "RESULT refresh: $(cat "$OUT/refresh.time") (targets: <= 10 s, <= 2 GiB)"

echo "== (b) one month's report data, three runs"
for run in 1 2 3; do
  /usr/bin/time -f "%e s, peak RSS %M KiB" -o "$OUT/month.time" "$DATA" "$OUT/ws" 2024-03 | grep RESULT
  echo "RESULT month process: $(cat "$OUT/month.time") (target for the data: <= 0.5 s)"
done
