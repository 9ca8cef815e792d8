#!/usr/bin/env bash
# The exchange with the hotline at an office's scale: a year of generated extracts (MONTHS ×
# PER_MONTH appeals) loaded and refreshed, every month pushed (`rexian push send`), then a
# feedback file of ROWS rows answering the pushed items (CSV, as the hotline sends it),
# imported ROUNDS times into the same warehouse restored before each import
# (`rexian case import-feedback`). The reference, timed in the same run: the same process
# opening the warehouse and reading the same file with DuckDB's read_csv
# (`rexian sql -c "select count(*) from read_csv(…)"`). Prints the medians and the ratio.
#
# Usage: scripts/bench-exchange.sh [ROWS (default 10000)] [PER_MONTH (default 3000)]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
rexian_setup
ROWS=${1:-10000}
PER_MONTH=${2:-3000}
OUT=${BENCH_DIR:-$PWD/bench-out}/exchange
rm -rf "$OUT" && mkdir -p "$OUT"
cargo build --release --bin rexian
BIN=$CARGO_TARGET_DIR/release/rexian
WS=$OUT/ws
"$BIN" init "$WS" >/dev/null
# One staff member, named by a variable (the bench is one login).
sed -i 's/^user_env = ""/user_env = "REXIAN_BENCH_STAFF"/; s/^staff = \[\]/staff = [{ name = "张明", role = "经办" }]/' "$WS/rexian.toml"
export REXIAN_BENCH_STAFF=张明
"$BIN" generate --out "$OUT/extracts" --from 2024-01 --to 2024-12 --per-month "$PER_MONTH" >/dev/null
"$BIN" -w "$WS" ingest "$OUT"/extracts/*.csv >/dev/null 2>&1 || "$BIN" -w "$WS" ingest "$OUT"/extracts/*.xlsx >/dev/null 2>&1
"$BIN" -w "$WS" refresh >/dev/null 2>&1
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
  "$BIN" -w "$WS" push send --period "2024-$m" --out "$OUT/pushes" >/dev/null 2>&1
done
items=$("$BIN" -w "$WS" sql --format csv -c "select count(*) as n from pushed_items" | tail -1)
echo "pushed: $items items"
# ROWS feedback rows on the pushed items (a ticket answered more than once when there are
# fewer items than rows), each with a phone number in its free text to mask.
"$BIN" -w "$WS" sql -o "$OUT/feedback.csv" -c "
  select ticket_id as 工单编号, push_no as 推送批次号,
         strftime(timestamp '2025-01-06 09:00:00' + to_minutes(cast(k as bigint)), '%Y-%m-%d %H:%M:%S') as 签收时间,
         '已转办结，第' || k || '次回访，联系人电话13812345678' as 处理结果,
         if(k % 7 = 0, '是', '否') as 重新派单,
         strftime(timestamp '2025-01-08 10:00:00' + to_minutes(cast(k as bigint)), '%Y-%m-%d %H:%M:%S') as 反馈时间,
         '' as 备注
  from (select *, row_number() over (order by push_no, ticket_id) as i from pushed_items)
  cross join range(1, 1 + cast(ceil($ROWS / (select count(*) from pushed_items)) as bigint)) as t(k)
  order by k, i
  limit $ROWS" >/dev/null
echo "feedback file: $(($(wc -l <"$OUT/feedback.csv") - 1)) rows, $(du -k "$OUT/feedback.csv" | cut -f1) KiB"
cp "$WS/warehouse/rexian.duckdb" "$OUT/pushed.duckdb"
cp "$WS/warehouse/casework.head" "$OUT/pushed.head"
timed() { # what, command...
  local what=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >"$OUT/$what.out" 2>&1
  t1=$(date +%s.%N)
  awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.4f\n", a - b }' >>"$OUT/$what"
}
for _ in $(seq "${ROUNDS:-5}"); do
  cp "$OUT/pushed.duckdb" "$WS/warehouse/rexian.duckdb"
  cp "$OUT/pushed.head" "$WS/warehouse/casework.head"
  timed reference "$BIN" -w "$WS" sql -c "select count(*) from read_csv('$OUT/feedback.csv')"
  timed import "$BIN" -w "$WS" case import-feedback "$OUT/feedback.csv"
done
tail -3 "$OUT/import.out"
"$BIN" -w "$WS" case verify
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ref=$(median "$OUT/reference")
m=$(median "$OUT/import")
echo "RESULT reference (open the warehouse, read_csv the file): $ref s"
echo "RESULT import-feedback of $ROWS rows: $m s = $(awk -v a="$m" -v b="$ref" 'BEGIN { printf "%.2f", a / b }') × the reference, $(awk -v a="$m" -v b="$ref" 'BEGIN { printf "%.0f", (a - b) * 1000 }') ms beyond it"
