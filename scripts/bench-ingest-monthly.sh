#!/usr/bin/env bash
# Issue 15's benchmark of extracts as they really arrive: twelve monthly CSV files of
# PER_MONTH new appeals each (2023-11..2024-10; the tickets still open at a month's end come
# back in the next file), timed in turn REPEAT times (default 3) in the same run:
#   (m) DuckDB alone: the twelve files into a table of a database file in one statement
#       (read_csv over the list, union_by_name: the months' headers differ), committed, then
#       that table to Parquet (examples/duckdb_floor.rs), and
#   (a) `rexian ingest` of the folder into a new workspace: every check, the masking,
#       newest-state-wins, the ledger and the lake;
# and, when BEFORE_BIN names another rexian binary (e.g. one made by scripts/build-rev.sh),
#   (p) that binary doing (a), for a before/after ratio.
# Prints the medians, the ratios (target (a)/(m) <= 1.3) and the peak RSS of (a)
# (target <= 1.5 GiB), and the lake's share of (a) and (p): from the last file loaded to the
# last partition written, read off their logs (-v).
#
# Usage: scripts/bench-ingest-monthly.sh [PER_MONTH (default 100000)]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
rexian_setup
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
PER_MONTH=${1:-100000}
REPEAT=${REPEAT:-3}
OUT=${BENCH_DIR:-$PWD/bench-out}/monthly
cargo build --release --bin rexian --example duckdb_floor
BIN=$CARGO_TARGET_DIR/release/rexian
FLOOR=$CARGO_TARGET_DIR/release/examples/duckdb_floor
rm -rf "$OUT" && mkdir -p "$OUT"
"$BIN" generate --out "$OUT/extracts" --from 2023-11 --to 2024-10 --per-month "$PER_MONTH" --format csv >/dev/null
rows=$(cat "$OUT"/extracts/*.csv | wc -l)
echo "== 12 monthly files: $rows lines, $(du -sh "$OUT/extracts" | cut -f1)"

for run in $(seq "$REPEAT"); do
  /usr/bin/time -f "%e %M" -a -o "$OUT/m.time" "$FLOOR" "$OUT"/extracts/*.csv "$OUT/floor" >/dev/null
  rm -rf "$OUT/floor"
  rm -rf "$OUT/ws" && "$BIN" init "$OUT/ws" >/dev/null
  /usr/bin/time -f "%e %M" -a -o "$OUT/a.time" "$BIN" -v -w "$OUT/ws" ingest -q "$OUT/extracts" >/dev/null 2>"$OUT/a.$run.log"
  if [ -n "${BEFORE_BIN:-}" ]; then
    rm -rf "$OUT/wsp" && "$BEFORE_BIN" init "$OUT/wsp" >/dev/null
    /usr/bin/time -f "%e %M" -a -o "$OUT/p.time" "$BEFORE_BIN" -v -w "$OUT/wsp" ingest -q "$OUT/extracts" >/dev/null 2>"$OUT/p.$run.log"
  fi
  echo "   run $run: (m) $(tail -1 "$OUT/m.time")  (a) $(tail -1 "$OUT/a.time")${BEFORE_BIN:+  (p) $(tail -1 "$OUT/p.time")}  [s, peak KiB]"
done
"$BIN" -w "$OUT/ws" ledger --limit 12 | tail -n 14

python3 - "$OUT" <<'PY'
import datetime, glob, os, re, statistics, sys
out = sys.argv[1]
def runs(k):
    p = f"{out}/{k}.time"
    return [tuple(float(x) for x in l.split()) for l in open(p)] if os.path.exists(p) else []
m, a, p = runs("m"), runs("a"), runs("p")
mm, ma = statistics.median(t for t, _ in m), statistics.median(t for t, _ in a)
rss = max(r for _, r in a) / 1024
print(f"RESULT 12 monthly files (median of {len(a)}): rexian ingest {ma:.2f} s, DuckDB alone "
      f"(CSV -> table -> Parquet) {mm:.2f} s, ratio {ma / mm:.2f} (target <= 1.3); "
      f"peak RSS {rss:.0f} MiB (target <= 1536)")
if p:
    mp = statistics.median(t for t, _ in p)
    print(f"RESULT before (BEFORE_BIN): {mp:.2f} s = {mp / mm:.2f} x DuckDB alone; "
          f"after / before = {ma / mp:.2f}")
def lake_phases(k):
    """Seconds from the last file loaded to the last lake partition written, per run."""
    phases = []
    for log in sorted(glob.glob(f"{out}/{k}.*.log")):
        loaded, written = None, None
        for line in open(log, encoding="utf-8"):
            m = re.match(r"(\S+?)Z?\s+INFO (loaded|lake partition written)", line)
            if m:
                t = datetime.datetime.fromisoformat(m.group(1))
                if m.group(2) == "loaded":
                    loaded = t
                else:
                    written = t
        if loaded and written:
            phases.append((written - loaded).total_seconds())
    return phases
la, lp = lake_phases("a"), lake_phases("p")
if la:
    line = f"RESULT the lake's share (median): rexian {statistics.median(la):.2f} s {sorted(la)}"
    if lp:
        line += (f", before {statistics.median(lp):.2f} s {sorted(lp)}; "
                 f"after / before = {statistics.median(la) / statistics.median(lp):.2f}")
    print(line)
PY
