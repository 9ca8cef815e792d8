#!/usr/bin/env bash
# Side by side, in one run: the binary of a revision ("before") and the working tree's
# ("after") on copies of one workspace, for `rexian refresh`, one month's report
# (`report monthly 2024-03`: its data and typesetting) and the pilot year's reports
# (`report all pilot`). Each is timed in turn, before then after, and the medians'
# ratio after/before printed: absolute times differ twofold between machines, the ratio not.
# ROUNDS=N times each N times (default 3); MEASURES="refresh month" limits what is timed.
# Nothing else should run meanwhile.
#
# Usage: scripts/bench-before-after.sh [REV (default HEAD)] [PER_MONTH (default 417000: about
#        10 M appeals over 24 months)]   (BEFORE_BIN=path uses a binary already built)
# Ends with one "RATIO <what>: after/before = x.xx" line per measure.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
rexian_setup
REV=${1:-HEAD}
PER_MONTH=${2:-417000}
OUT=${BENCH_DIR:-$PWD/bench-out}/before-after
mkdir -p "$OUT"
if [ -n "${BEFORE_BIN:-}" ]; then cp "$BEFORE_BIN" "$OUT/rexian-before"; cargo build --release --bin rexian; else scripts/build-rev.sh "$REV" "$OUT/rexian-before"; fi
cp "$CARGO_TARGET_DIR/release/rexian" "$OUT/rexian-after"

if [ ! -d "$OUT/ws-$PER_MONTH" ]; then
  echo "== generating 24 months of $PER_MONTH new appeals and loading them"
  "$OUT/rexian-after" generate --out "$OUT/extracts-$PER_MONTH" --per-month "$PER_MONTH" --format csv >/dev/null
  "$OUT/rexian-after" init "$OUT/ws-$PER_MONTH" >/dev/null
  "$OUT/rexian-after" -w "$OUT/ws-$PER_MONTH" ingest -q "$OUT/extracts-$PER_MONTH" >/dev/null || [ $? -eq 3 ]
fi
for side in before after; do
  rm -rf "$OUT/ws-$side" && cp -r "$OUT/ws-$PER_MONTH" "$OUT/ws-$side"
  "$OUT/rexian-$side" -w "$OUT/ws-$side" refresh >/dev/null
done

timed() { # side, what, command...
  local side=$1 what=$2; shift 2
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null
  t1=$(date +%s.%N)
  awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.3f\n", a - b }' >>"$OUT/$what.$side"
}
MEASURES=${MEASURES:-refresh month pilot}
for what in $MEASURES; do rm -f "$OUT/$what.before" "$OUT/$what.after"; done
for round in $(seq "${ROUNDS:-3}"); do
  for side in before after; do
    BIN=$OUT/rexian-$side WS=$OUT/ws-$side
    case " $MEASURES " in *" refresh "*) timed $side refresh "$BIN" -w "$WS" refresh ;; esac
    case " $MEASURES " in *" month "*) timed $side month "$BIN" -w "$WS" report monthly 2024-03 --out "$OUT/pdf-$side" ;; esac
    case " $MEASURES " in *" pilot "*) timed $side pilot "$BIN" -w "$WS" report all pilot --out "$OUT/pdf-$side" ;; esac
  done
done
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for what in $MEASURES; do
  b=$(median "$OUT/$what.before"); a=$(median "$OUT/$what.after")
  echo "RATIO $what: after/before = $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }') (medians: before $b s, after $a s; runs before $(paste -sd/ "$OUT/$what.before"), after $(paste -sd/ "$OUT/$what.after"))"
done
