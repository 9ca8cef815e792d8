#!/usr/bin/env bash
# Ingest benchmark (issue 2): a generated 1 M-row CSV extract, timed in the same run as
#   (a) `rexian ingest` into an empty workspace, lake included, and
#   (b) DuckDB alone reading the same file and writing it to Parquet;
# with the peak RSS of (a). Also (f), the floor: DuckDB alone doing the storage work that
# ingest must do, with no checking or masking (CSV -> a table in a database file, committed,
# then that table -> one Parquet partition in a fixed order). Then 10 M rows as 10 monthly
# files, end to end.
#
# Usage: scripts/bench-ingest.sh [ROWS_PER_MONTH (default 1000000)] [MONTHS_FOR_10M (default 10)]
# Needs GNU time (/usr/bin/time, Debian package "time"; installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/rexian-target}
command -v ccache >/dev/null && export CC="ccache cc" CXX="ccache c++"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

ROWS=${1:-1000000}
MONTHS=${2:-10}
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

echo "== (b) DuckDB alone: CSV -> Parquet"
/usr/bin/time -f "%e s, peak RSS %M KiB" -o "$OUT/b.time" "$BASE" "$FILE" "$OUT/baseline.parquet"
cat "$OUT/b.time"

echo "== (f) the floor: DuckDB alone, CSV -> table in a database file -> sorted Parquet"
/usr/bin/time -f "%e s, peak RSS %M KiB" -o "$OUT/f.time" "$FLOOR" "$FILE" "$OUT/floor"
cat "$OUT/f.time"
rm -rf "$OUT/floor"

echo "== (a) rexian ingest into an empty workspace, lake included"
"$BIN" init "$OUT/ws" >/dev/null
/usr/bin/time -f "%e s, peak RSS %M KiB" -o "$OUT/a.time" "$BIN" -w "$OUT/ws" ingest -q "$FILE"
cat "$OUT/a.time"

a=$(cut -d' ' -f1 "$OUT/a.time"); b=$(cut -d' ' -f1 "$OUT/b.time"); f=$(cut -d' ' -f1 "$OUT/f.time")
rss=$(sed -E 's/.*RSS ([0-9]+).*/\1/' "$OUT/a.time")
python3 - "$a" "$b" "$f" "$rss" <<'PY'
import sys
a, b, f, rss = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
print(f"RESULT 1M: ingest {a:.2f} s, duckdb alone {b:.2f} s, ratio {a/b:.2f} (target <= 1.3), "
      f"peak RSS {rss/1024:.0f} MiB (target <= 1536)")
print(f"RESULT floor: duckdb alone storing it as ingest must {f:.2f} s = {f/b:.2f} x (b); "
      f"ingest = {a/f:.2f} x the floor")
PY

if [ "$MONTHS" -gt 0 ]; then
  echo "== 10 M rows: $MONTHS monthly files of $ROWS new appeals, end to end"
  "$BIN" generate --out "$OUT/ten" --from 2024-01 --to "2024-$(printf %02d "$MONTHS")" --per-month "$ROWS" --format csv
  "$BIN" init "$OUT/ws10" >/dev/null
  /usr/bin/time -f "%e s, peak RSS %M KiB" -o "$OUT/ten.time" "$BIN" -w "$OUT/ws10" ingest -q "$OUT/ten"
  echo "RESULT 10M: $(cat "$OUT/ten.time") for $(du -sh "$OUT/ten" | cut -f1) of CSV"
  "$BIN" -w "$OUT/ws10" ledger --limit "$MONTHS"
fi
