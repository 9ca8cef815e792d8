#!/usr/bin/env bash
# Issue 15's incremental figure: a month's extract loaded into a warehouse that already holds
# the 10.1 M appeals of scripts/bench-refresh.sh (24 months to 2024-10; made when missing),
# against the same file loaded into an empty workspace, in turn, ROUNDS times (default 3;
# the big workspace is copied afresh before each of its loads). Prints the medians and the
# ratio (target: <= 1.5).
#
# Usage: scripts/bench-ingest-into-10m.sh [PER_MONTH of the new month (default 417000)]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
rexian_setup
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
PER_MONTH=${1:-417000}
ROUNDS=${ROUNDS:-3}
BIG=${BENCH_DIR:-$PWD/bench-out/refresh}
OUT=${BENCH_DIR:-$PWD/bench-out}/into-10m
cargo build --release --bin rexian
BIN=$CARGO_TARGET_DIR/release/rexian
if [ ! -f "$BIG/ws/rexian.toml" ]; then
  rm -rf "$BIG" && mkdir -p "$BIG"
  "$BIN" generate --out "$BIG/extracts" --per-month 417000 --format csv
  "$BIN" init "$BIG/ws" >/dev/null
  "$BIN" -w "$BIG/ws" ingest -q "$BIG/extracts"
fi
rm -rf "$OUT" && mkdir -p "$OUT"
"$BIN" generate --out "$OUT/month" --from 2024-11 --to 2024-11 --per-month "$PER_MONTH" --format csv >/dev/null
FILE=$(ls "$OUT"/month/*.csv)
for round in $(seq "$ROUNDS"); do
  rm -rf "$OUT/empty" "$OUT/full"
  "$BIN" init "$OUT/empty" >/dev/null
  cp "$BIG/ws/secret.key" "$OUT/empty/secret.key"
  /usr/bin/time -f "%e %M" -a -o "$OUT/empty.time" "$BIN" -w "$OUT/empty" ingest -q "$FILE" >/dev/null
  cp -r "$BIG/ws" "$OUT/full"
  sync
  /usr/bin/time -f "%e %M" -a -o "$OUT/full.time" "$BIN" -w "$OUT/full" ingest -q "$FILE" >/dev/null
done
median() { awk '{ print $1 }' "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
e=$(median "$OUT/empty.time"); f=$(median "$OUT/full.time")
echo "RESULT into an empty workspace: $e s (runs: $(awk '{ printf "%s ", $1 }' "$OUT/empty.time"))"
echo "RESULT into the 10.1 M-appeal warehouse: $f s (runs: $(awk '{ printf "%s ", $1 }' "$OUT/full.time")) = $(awk -v a="$f" -v b="$e" 'BEGIN { printf "%.2f", a / b }') x (target <= 1.5)"
rm -rf "$OUT/full"
