#!/usr/bin/env bash
# Text benchmark (issue 14): what reading text more closely costs, against the binary of
# BASE_REV (the last commit before; "before") and the working tree ("after"), in turn, REPEAT
# times (default 3), medians and ratios reported:
#   1. masking: a generated 1 M-row CSV extract loaded into an empty workspace (peak RSS too),
#      and the CPU time of masking its texts with the old finders and with all of them, in one
#      process; then both warehouses' stored texts are compared: the generator writes no third
#      party, so they must be identical (the demo's figures do not move);
#   2. grading: `rexian refresh` of those workspaces (every model and check), which now reads
#      the sentence of each major word; and of REFRESH_WS too when set (e.g. the 10 M-appeal
#      workspace of scripts/bench-refresh.sh, made by the older binary:
#      REFRESH_WS=/tmp/bench-refresh/ws).
#
# Usage: scripts/bench-text.sh [ROWS (default 1000000)] [BASE_REV (default ff042f2)]
#        (BEFORE_BIN=path uses a binary already built instead of building BASE_REV)
# Needs git and GNU time (/usr/bin/time, Debian package "time"; installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
rexian_setup
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

ROWS=${1:-1000000}
BASE_REV=${2:-ff042f2}
REPEAT=${REPEAT:-3}
OUT=${BENCH_DIR:-$PWD/bench-out}/text
rm -rf "$OUT" && mkdir -p "$OUT"
BIN=$CARGO_TARGET_DIR/release/rexian

echo "== building $BASE_REV (before) and the working tree (after)"
if [ -n "${BEFORE_BIN:-}" ]; then cp "$BEFORE_BIN" "$OUT/rexian-before"; cargo build --release --bin rexian; else scripts/build-rev.sh "$BASE_REV" "$OUT/rexian-before"; fi
cp "$BIN" "$OUT/rexian-after"

echo "== generating one month of $ROWS new appeals (CSV)"
"$OUT/rexian-after" generate --out "$OUT/one" --from 2024-03 --to 2024-03 --per-month "$ROWS" --format csv
FILE=$(ls "$OUT"/one/*.csv)
ls -l "$FILE"

for run in $(seq 1 "$REPEAT"); do
  echo "== run $run of $REPEAT"
  for side in before after; do
    rm -rf "$OUT/ws-$side" && "$OUT/rexian-$side" init "$OUT/ws-$side" >/dev/null
    # One key for both, so that the stored texts can be compared.
    echo "5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed" >"$OUT/ws-$side/secret.key"
    /usr/bin/time -f "%e %M" -o "$OUT/$side.$run" "$OUT/rexian-$side" -w "$OUT/ws-$side" ingest -q "$FILE" >/dev/null
  done
  echo "   before $(cat "$OUT/before.$run")  after $(cat "$OUT/after.$run")  [seconds, peak RSS KiB]"
done

echo "== masking alone, in one process (examples/masking_cost.rs)"
cargo build --release --example masking_cost
"$CARGO_TARGET_DIR/release/examples/masking_cost" "$FILE" 2>/dev/null | grep RESULT

# Each binary refreshes the workspace it loaded (they hold the same rows; a workspace made by
# the newer binary has [grading] keys the older one does not know).
refresh_runs() { # NAME WORKSPACE-BEFORE WORKSPACE-AFTER
  for run in $(seq 1 "$REPEAT"); do
    /usr/bin/time -f "%e %M" -o "$OUT/$1-before.$run" "$OUT/rexian-before" -w "$2" refresh >/dev/null
    /usr/bin/time -f "%e %M" -o "$OUT/$1-after.$run" "$OUT/rexian-after" -w "$3" refresh >/dev/null
    echo "   refresh $1 run $run: before $(cat "$OUT/$1-before.$run")  after $(cat "$OUT/$1-after.$run")"
  done
}
echo "== refresh of the 1 M-row workspaces"
refresh_runs r1m "$OUT/ws-before" "$OUT/ws-after"
if [ -n "${REFRESH_WS:-}" ]; then
  # One workspace for both: its rexian.toml must be one the older binary reads (made by it).
  echo "== refresh of $REFRESH_WS"
  refresh_runs rws "$REFRESH_WS" "$REFRESH_WS"
fi

TEXTS="select md5(string_agg(coalesce(title, '') || '|' || coalesce(content, '') || '|' || coalesce(address, ''), '\n' order by ticket_id)) as texts, count(*) as n from appeals"
B=$("$OUT/rexian-before" -w "$OUT/ws-before" sql -c "$TEXTS" --format csv | tail -1)
A=$("$OUT/rexian-after" -w "$OUT/ws-after" sql -c "$TEXTS" --format csv | tail -1)

python3 - "$OUT" "$REPEAT" "$B" "$A" <<'PY'
import statistics, sys
out, n, b_texts, a_texts = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def runs(k):
    return [tuple(float(x) for x in open(f"{out}/{k}.{i}").read().split()) for i in range(1, n + 1)]
b, a = runs("before"), runs("after")
mb, ma = (statistics.median(t for t, _ in r) for r in (b, a))
print(f"RESULT masking (median of {n}): load before {mb:.2f} s, after {ma:.2f} s, ratio {ma/mb:.3f}; "
      f"added cost {100*(ma-mb)/mb:+.1f} % (target <= 10 %)")
print(f"RESULT peak RSS: before {max(m for _, m in b)/1024:.0f} MiB, after {max(m for _, m in a)/1024:.0f} MiB")
print("RESULT all runs (before/after seconds): " + "; ".join(f"{x[0]:.2f}/{y[0]:.2f}" for x, y in zip(b, a)))
for k, what in (("r1m", "the 1 M-row workspace"), ("rws", "REFRESH_WS")):
    try:
        rb, ra = runs(f"{k}-before"), runs(f"{k}-after")
    except FileNotFoundError:
        continue
    mrb, mra = (statistics.median(t for t, _ in r) for r in (rb, ra))
    print(f"RESULT refresh of {what} (median of {n}): before {mrb:.2f} s, after {mra:.2f} s, "
          f"ratio {mra/mrb:.3f}; added cost {100*(mra-mrb)/mrb:+.1f} %")
print(f"RESULT stored texts: before {b_texts}, after {a_texts}: " + ("identical" if a_texts == b_texts else "DIFFERENT"))
PY
