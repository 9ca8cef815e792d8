#!/usr/bin/env bash
# Scheduler benchmark (issue 5), on a demo-sized workspace it makes:
#   (a) an idle daemon (default schedule): resident memory and CPU time over IDLE_SECONDS
#       (default 60), after it has caught up;
#   (b) a 100 000-row extract moved into the inbox: seconds until its rows answer in
#       `rexian sql`, and until the refreshed figures do;
#   (c) resident memory after 10, 100 and RUNS (default 1000) monthly-report runs in one
#       process (examples/report_runs_rss.rs).
# Usage: scripts/bench-serve.sh [RUNS] ; BENCH_DIR (default bench-out/serve), IDLE_SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/rexian-target}
command -v ccache >/dev/null && export CC="ccache cc" CXX="ccache c++"
RUNS=${1:-1000}
IDLE=${IDLE_SECONDS:-60}
OUT=${BENCH_DIR:-$PWD/bench-out/serve}
rm -rf "$OUT" && mkdir -p "$OUT"
cargo build --release --bin rexian --example report_runs_rss
BIN=$CARGO_TARGET_DIR/release/rexian
WS="$OUT/ws"
"$BIN" init "$WS" >/dev/null
sed -i 's|^since = ""|since = "2024-01"|' "$WS/rexian.toml"
"$BIN" generate --out "$OUT/base" --from 2024-01 --to 2024-03 --per-month 3000 --format csv >/dev/null
"$BIN" generate --out "$OUT/big" --from 2024-04 --to 2024-04 --per-month 100000 --format csv --seed 99 >/dev/null
cp "$OUT"/base/*.csv "$WS/inbox/"
export REXIAN_NOW="2024-04-02 07:00:00"

echo "== (a) idle daemon"
"$BIN" -w "$WS" serve 2>"$OUT/serve-idle.log" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
# Let it load the three months and issue what is due (the files settle for 30 s first).
until grep -q "finished job=push_list period=\"2024-03\"" "$OUT/serve-idle.log"; do sleep 1; done
sleep 5
ticks() { awk '{print $14 + $15}' /proc/$PID/stat; }
t0=$(ticks)
sleep "$IDLE"
t1=$(ticks)
rss=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
hz=$(getconf CLK_TCK)
python3 - "$t0" "$t1" "$hz" "$IDLE" "$rss" <<'PY'
import sys
t0, t1, hz, idle, rss = map(float, sys.argv[1:])
cpu = (t1 - t0) / hz
print(f"RESULT idle: CPU {cpu:.2f} s over {idle:.0f} s ({100*cpu/idle:.2f} %), RSS {rss/1024:.1f} MiB (target <= 50)")
PY

kill -TERM $PID; wait $PID || true
# Wake the inbox every 2 s and load a file once it has been still for 1 s.
sed -i 's|^inbox = "0 \*/10 \* \* \* \*".*|inbox = "*/2 * * * * *"|; s|^settle_seconds = 30|settle_seconds = 1|' "$WS/rexian.toml"
"$BIN" -w "$WS" serve 2>"$OUT/serve.log" &
PID=$!
sleep 2

echo "== (b) a 100 000-row extract lands in the inbox"
FILE=$(ls "$OUT"/big/*.csv)
NAME=$(basename "$FILE")
cp "$FILE" "$OUT/landing.tmp"
before=$("$BIN" -w "$WS" sql --format csv -c "select count(*) from appeals" 2>/dev/null | tail -1)
start=$(date +%s.%N)
mv "$OUT/landing.tmp" "$WS/inbox/$NAME"   # a rename: the file lands whole
while :; do
  n=$("$BIN" -w "$WS" sql --wait 0 --format csv -c "select count(*) from appeals" 2>/dev/null | tail -1 || echo 0)
  [ "${n:-0}" -gt "$before" ] && break
  sleep 0.2
done
queryable=$(date +%s.%N)
while :; do
  r=$("$BIN" -w "$WS" sql --wait 0 --format csv -c "select count(*) from run_ledger where job = 'refresh' and status = 'succeeded'" 2>/dev/null | tail -1 || echo 0)
  m=$("$BIN" -w "$WS" sql --wait 0 --format csv -c "select count(*) from mart_indicator_values where period_key = '2024-04'" 2>/dev/null | tail -1 || echo 0)
  [ "${m:-0}" -gt 0 ] && break
  sleep 0.2
done
refreshed=$(date +%s.%N)
python3 - "$start" "$queryable" "$refreshed" "$before" "$n" <<'PY'
import sys
s, q, r = map(float, sys.argv[1:4])
print(f"RESULT inbox: {int(sys.argv[5]) - int(sys.argv[4])} new appeals queryable {q - s:.1f} s after landing; "
      f"figures refreshed {r - s:.1f} s after (inbox wake every 2 s, settle 1 s)")
PY
kill -TERM $PID; wait $PID || true
trap - EXIT

echo "== (c) $RUNS monthly-report runs in one process"
"$CARGO_TARGET_DIR/release/examples/report_runs_rss" "$WS" 2024-03 "$RUNS"
