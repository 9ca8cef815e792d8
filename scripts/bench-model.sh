#!/usr/bin/env bash
# The learned classifier's cost (issue 14), on the workspace of scripts/bench-refresh.sh
# (10.1 M appeals over 24 months; made here when missing). In one run, medians of ROUNDS
# (default 3) each; every round starts with no model file and no scores:
#   R0  `rexian refresh` without a model (the reference);
#   T   `rexian model train`, which also scores every blank-extract appeal (its figures on the
#       months kept out are printed once);
#   R1  the first refresh with the model;
#   R2  the next one (nothing new to score either: the steady state between loads).
# Prints each as a ratio to R0 (targets: T <= 3 x R0, R2 <= 1.10 x R0).
#
# Usage: scripts/bench-model.sh [PER_MONTH (default 417000)]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
rexian_setup
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
PER_MONTH=${1:-417000}
OUT=${BENCH_DIR:-$PWD/bench-out/refresh}
ROUNDS=${ROUNDS:-3}
cargo build --release --bin rexian
BIN=$CARGO_TARGET_DIR/release/rexian
WS=$OUT/ws
if [ ! -f "$WS/rexian.toml" ]; then
  rm -rf "$OUT" && mkdir -p "$OUT"
  echo "== generating 24 months of $PER_MONTH new appeals and loading them"
  "$BIN" generate --out "$OUT/extracts" --per-month "$PER_MONTH" --format csv
  "$BIN" init "$WS" >/dev/null
  "$BIN" -w "$WS" ingest -q "$OUT/extracts"
fi
MODEL=$WS/models/scope_field.model
rm -f "$OUT"/model-*.time
timed() { # what, command...
  local what=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/model-$what.last" "$@" >"$OUT/model-$what.out" 2>&1
  cat "$OUT/model-$what.last" >>"$OUT/model-$what.time"
}
rm -f "$MODEL"
"$BIN" -w "$WS" refresh >/dev/null # warm: the figures as of this binary
for round in $(seq "$ROUNDS"); do
  rm -f "$MODEL"
  "$BIN" -w "$WS" sql --write -c "delete from model_scores" >/dev/null
  timed r0 "$BIN" -w "$WS" refresh
  timed train "$BIN" -w "$WS" model train
  [ "$round" = 1 ] && cat "$OUT/model-train.out"
  timed r1 "$BIN" -w "$WS" refresh
  timed r2 "$BIN" -w "$WS" refresh
done
grep -h "learned classifier" "$OUT/model-r1.out" "$OUT/model-r2.out" || true
median() { awk '{ print $1 }' "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
peak() { awk '{ print $2 }' "$1" | sort -n | tail -1; }
r0=$(median "$OUT/model-r0.time")
echo "RESULT refresh without a model (R0): $r0 s (runs: $(awk '{ printf "%s ", $1 }' "$OUT/model-r0.time")), peak RSS $(( $(peak "$OUT/model-r0.time") / 1024 )) MiB"
for what in train r1 r2; do
  m=$(median "$OUT/model-$what.time")
  echo "RESULT $what: $m s = $(awk -v a="$m" -v b="$r0" 'BEGIN { printf "%.3f", a / b }') x R0 (runs: $(awk '{ printf "%s ", $1 }' "$OUT/model-$what.time")), peak RSS $(( $(peak "$OUT/model-$what.time") / 1024 )) MiB"
done
