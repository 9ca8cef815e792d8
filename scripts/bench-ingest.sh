#!/usr/bin/env bash
# Ingest benchmark (issue 2): a generated 1 M-row CSV extract, timed in the same run as
#   (a) `rexian ingest` into an empty workspace, lake included, and
#   (b) DuckDB alone reading the same file and writing it to Parquet;
# with the peak RSS of (a). Also (f), the floor: DuckDB alone doing the storage work that
# ingest must do, with no checking or masking (CSV -> a table in a database file, committed,
# then that table -> one Parquet partition). The three are run in turn REPEAT times (default
# 3) and the medians reported, since a shared 2-core machine varies by 20 % from run to run.
# Then 10 M rows as 10 monthly files, end to end. With BEFORE_BIN (another rexian binary, e.g.
# from scripts/build-rev.sh), (p): that binary doing (a), in the same runs.
#
# Usage: scripts/bench-ingest.sh [ROWS_PER_MONTH (default 1000000)] [MONTHS_FOR_10M (default 10)]
#        (MONTHS_FOR_10M = 0 skips the 10 M run; REPEAT=N in the environment sets the repeats)
# Needs GNU time (/usr/bin/time, Debian package "time"; installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/rexian-target}
command -v ccache >/dev/null && export CC="ccache cc" CXX="ccache c++"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

ROWS=${1:-1000000}
MONTHS=${2:-10}
REPEAT=${REPEAT:-3}
OUT=${BENCH_DIR:-$PWD/bench-out}
rm -rf "$OUT" && mkdir -p "$OUT"

cargo build --release --bin rexian --example duckdb_baseline --example duckdb_floor
BIN=$CARGO_TARGET_DIR/release/rexian
BASE=$CARGO_TARGET_DIR/release/examples/duckdb_baseline
FLOOR=$CARGO_TARGET_DIR/release/examples/duckdb_floor

echo "== generating one month of $ROWS new appeals (CSV)"
"$BIN" generate --out "$OUT/one" --from 2024-03 --to 2024-03 --per-month "$ROWS" --format csv
FILE=$(ls "$OUT"/one/*.csv)
ls -l "$FILE"

for run in $(seq 1 "$REPEAT"); do
  echo "== run $run of $REPEAT"
  echo "-- (b) DuckDB alone: CSV -> Parquet"
  /usr/bin/time -f "%e %M" -o "$OUT/b.$run" "$BASE" "$FILE" "$OUT/baseline.parquet"
  echo "-- (f) the floor: DuckDB alone, CSV -> table in a database file -> Parquet"
  /usr/bin/time -f "%e %M" -o "$OUT/f.$run" "$FLOOR" "$FILE" "$OUT/floor"
  rm -rf "$OUT/floor"
  echo "-- (a) rexian ingest into an empty workspace, lake included"
  rm -rf "$OUT/ws" && "$BIN" init "$OUT/ws" >/dev/null
  /usr/bin/time -f "%e %M" -o "$OUT/a.$run" "$BIN" -w "$OUT/ws" ingest -q "$FILE" >/dev/null
  if [ -n "${BEFORE_BIN:-}" ]; then
    echo "-- (p) the same with BEFORE_BIN"
    rm -rf "$OUT/wsp" && "$BEFORE_BIN" init "$OUT/wsp" >/dev/null
    /usr/bin/time -f "%e %M" -o "$OUT/p.$run" "$BEFORE_BIN" -w "$OUT/wsp" ingest -q "$FILE" >/dev/null
  fi
  echo "   (b) $(cat "$OUT/b.$run")  (f) $(cat "$OUT/f.$run")  (a) $(cat "$OUT/a.$run")${BEFORE_BIN:+  (p) $(cat "$OUT/p.$run")}  [seconds, peak RSS KiB]"
done

python3 - "$OUT" "$REPEAT" <<'PY'
import statistics, sys
out, n = sys.argv[1], int(sys.argv[2])
def runs(k):
    return [tuple(float(x) for x in open(f"{out}/{k}.{i}").read().split()) for i in range(1, n + 1)]
a, b, f = runs("a"), runs("b"), runs("f")
ma, mb, mf = (statistics.median(t for t, _ in r) for r in (a, b, f))
rss = max(m for _, m in a) / 1024
print(f"RESULT 1M (median of {n}): ingest {ma:.2f} s, duckdb alone {mb:.2f} s, ratio {ma/mb:.2f} "
      f"(target <= 1.3), peak RSS {rss:.0f} MiB (target <= 1536)")
print(f"RESULT floor: duckdb alone storing it as ingest must (table + lake, no checks) {mf:.2f} s "
      f"= {mf/mb:.2f} x (b); ingest = {ma/mf:.2f} x the floor")
print("RESULT all runs (a/b/f seconds): " + "; ".join(
    f"{x[0]:.2f}/{y[0]:.2f}/{z[0]:.2f}" for x, y, z in zip(a, b, f)))
import os
if os.path.exists(f"{out}/p.1"):
    mp = statistics.median(t for t, _ in runs("p"))
    print(f"RESULT before (BEFORE_BIN): {mp:.2f} s = {mp/mf:.2f} x the floor; after / before = {ma/mp:.2f}")
PY

if [ "$MONTHS" -gt 0 ]; then
  echo "== 10 M rows: $MONTHS monthly files of $ROWS new appeals, end to end"
  "$BIN" generate --out "$OUT/ten" --from 2024-01 --to "2024-$(printf %02d "$MONTHS")" --per-month "$ROWS" --format csv
  "$BIN" init "$OUT/ws10" >/dev/null
  /usr/bin/time -f "%e s, peak RSS %M KiB" -o "$OUT/ten.time" "$BIN" -w "$OUT/ws10" ingest -q "$OUT/ten"
  echo "RESULT 10M: $(cat "$OUT/ten.time") for $(du -sh "$OUT/ten" | cut -f1) of CSV"
  "$BIN" -w "$OUT/ws10" ledger --limit "$MONTHS"
fi
