#!/usr/bin/env bash
# Issue 15's whole-year figure: the pilot year from raw extracts, rexian against a peer script
# an analyst would write (scripts/peer/pipeline.py: pandas, matplotlib, the typst Python
# binding; 12 monthly, 3 quarterly and 1 pilot-year PDF, each with a department table and a
# trend chart), on the same twelve monthly CSV files of PER_MONTH new appeals (2023-11..
# 2024-10), in turn REPEAT times (default 3) in the same run:
#   (r) rexian: init, `ingest` of the folder, `refresh`, `report all pilot` (every report
#       due for the pilot year: 41 PDFs), timed from start to end;
#   (p) the peer, timed from start to end (its Python packages are installed first, into
#       ~/.cache/rexian-peer-venv, outside the timing).
# Prints the medians and the speed-up, the peer's time over rexian's (target >= 2).
#
# Usage: scripts/bench-pipeline.sh [PER_MONTH (default 100000)]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
rexian_setup
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
PER_MONTH=${1:-100000}
REPEAT=${REPEAT:-3}
OUT=${BENCH_DIR:-$PWD/bench-out}/pipeline
VENV=${PEER_VENV:-$HOME/.cache/rexian-peer-venv}
if ! "$VENV/bin/python" -c "import pandas, matplotlib, typst" 2>/dev/null; then
  python3 -m venv "$VENV" 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && python3 -m venv "$VENV"; }
  "$VENV/bin/pip" install -q pandas matplotlib typst
fi
cargo build --release --bin rexian
BIN=$CARGO_TARGET_DIR/release/rexian
rm -rf "$OUT" && mkdir -p "$OUT"
"$BIN" generate --out "$OUT/extracts" --from 2023-11 --to 2024-10 --per-month "$PER_MONTH" --format csv >/dev/null
echo "== the pilot year: $(cat "$OUT"/extracts/*.csv | wc -l) lines, $(du -sh "$OUT/extracts" | cut -f1) of CSV"

rexian_year() {
  "$BIN" init "$OUT/ws" >/dev/null
  "$BIN" -w "$OUT/ws" ingest -q "$OUT/extracts" >/dev/null
  "$BIN" -w "$OUT/ws" refresh >/dev/null
  "$BIN" -w "$OUT/ws" report all pilot >/dev/null
}
for run in $(seq "$REPEAT"); do
  rm -rf "$OUT/ws" "$OUT/peer"
  s=$(date +%s.%N); rexian_year; e=$(date +%s.%N)
  echo "$s $e" | awk '{ printf "%.2f\n", $2 - $1 }' >>"$OUT/r.time"
  s=$(date +%s.%N); "$VENV/bin/python" scripts/peer/pipeline.py "$OUT/extracts" "$OUT/peer" >/dev/null; e=$(date +%s.%N)
  echo "$s $e" | awk '{ printf "%.2f\n", $2 - $1 }' >>"$OUT/p.time"
  echo "   run $run: (r) rexian $(tail -1 "$OUT/r.time") s, $(find "$OUT/ws/reports" -name '*.pdf' | wc -l) PDFs;" \
       "(p) peer $(tail -1 "$OUT/p.time") s, $(ls "$OUT"/peer/*.pdf | wc -l) PDFs"
done
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
r=$(median "$OUT/r.time"); p=$(median "$OUT/p.time")
echo "RESULT the pilot year from raw extracts (median of $REPEAT): rexian $r s (runs: $(paste -sd' ' "$OUT/r.time")), peer $p s (runs: $(paste -sd' ' "$OUT/p.time")): speed-up (peer / rexian) $(awk -v a="$p" -v b="$r" 'BEGIN { printf "%.2f", a / b }') (target >= 2)"
