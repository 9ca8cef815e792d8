#!/usr/bin/env bash
# The 督办台账 at an office's scale: a workspace filled with CASES cases of about
# EVENTS_PER_CASE events each (examples/casework_fill.rs, signed as rexian signs them), then,
# in turn, ROUNDS times each: `rexian case list` (the register, as CSV), `case show` of one
# case, `case verify` (every signature), `case remind` (the day's 督办提醒, as XLSX), and as the reference the same process opening the
# warehouse for one trivial query (`rexian sql -c "select 1"`). Prints the medians and each
# one's ratio to the reference (absolute times differ twofold between machines).
#
# Usage: scripts/bench-casework.sh [CASES (default 10000)] [EVENTS_PER_CASE (default 20)]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
rexian_setup
CASES=${1:-10000}
PER_CASE=${2:-20}
OUT=${BENCH_DIR:-$PWD/bench-out}/casework
rm -rf "$OUT" && mkdir -p "$OUT"
cargo build --release --bin rexian --example casework_fill
BIN=$CARGO_TARGET_DIR/release/rexian
"$BIN" init "$OUT/ws" >/dev/null
"$CARGO_TARGET_DIR/release/examples/casework_fill" "$OUT/ws" "$CASES" "$PER_CASE"
timed() { # what, command...
  local what=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  t1=$(date +%s.%N)
  awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.4f\n", a - b }' >>"$OUT/$what"
}
for _ in $(seq "${ROUNDS:-5}"); do
  timed reference "$BIN" -w "$OUT/ws" sql -c "select 1"
  timed list "$BIN" -w "$OUT/ws" case list --format csv -o "$OUT/register.csv"
  timed overdue "$BIN" -w "$OUT/ws" case list --state 督办中 --format csv -o "$OUT/open.csv"
  timed show "$BIN" -w "$OUT/ws" case show 2025-0042 --format csv -o "$OUT/show.csv"
  timed verify "$BIN" -w "$OUT/ws" case verify
  timed remind "$BIN" -w "$OUT/ws" case remind --out "$OUT/reminders"
done
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ref=$(median "$OUT/reference")
echo "RESULT reference (open the warehouse, select 1): $ref s"
for what in list overdue show verify remind; do
  m=$(median "$OUT/$what")
  echo "RESULT case $what: $m s = $(awk -v a="$m" -v b="$ref" 'BEGIN { printf "%.2f", a / b }') × the reference, $(awk -v a="$m" -v b="$ref" 'BEGIN { printf "%.0f", (a - b) * 1000 }') ms beyond it"
done
