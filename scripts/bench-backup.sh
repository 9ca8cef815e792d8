#!/usr/bin/env bash
# Backup and restore against a plain copy of the same folders, on one workspace: medians of
# three runs each, in the same run, with the backup's size.
# Usage: scripts/bench-backup.sh [PER_MONTH (default 420000: about 10 M appeals over 24 months)]
#        (WS=path reuses a loaded workspace instead of generating and loading one)
# The first backup of a warehouse older than this binary migrates it first (and copies it
# aside): it runs once before the timed runs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
rexian_setup
cargo build --release --bin rexian
BIN=$CARGO_TARGET_DIR/release/rexian
OUT=${BENCH_DIR:-$PWD/bench-out}/backup
mkdir -p "$OUT"
WS=${WS:-}
if [ -z "$WS" ]; then
  WS=$OUT/ws
  rm -rf "$WS" "$OUT/extracts"
  "$BIN" generate --out "$OUT/extracts" --per-month "${1:-420000}" --format csv >/dev/null
  "$BIN" init "$WS" >/dev/null
  "$BIN" -w "$WS" ingest "$OUT/extracts" >/dev/null
fi
rm -rf "$OUT/warm"
"$BIN" -w "$WS" backup "$OUT/warm" >/dev/null
rm -rf "$OUT/warm"
now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
cps=(); backups=(); restores=()
for i in 1 2 3; do
  rm -rf "$OUT/cp" "$OUT/bk" "$OUT/rs"
  mkdir -p "$OUT/cp"
  s=$(now); cp -r "$WS/warehouse" "$WS/lake" "$WS/loads" "$OUT/cp/"; cps+=("$(echo "$(now) - $s" | bc)")
  s=$(now); "$BIN" -w "$WS" backup "$OUT/bk" >/dev/null; backups+=("$(echo "$(now) - $s" | bc)")
  s=$(now); "$BIN" -w "$OUT/rs" restore "$OUT/bk" >/dev/null 2>&1; restores+=("$(echo "$(now) - $s" | bc)")
done
c=$(median "${cps[@]}"); b=$(median "${backups[@]}"); r=$(median "${restores[@]}")
appeals=$("$BIN" -w "$WS" sql -c "select count(*) from appeals" --format csv 2>/dev/null | tail -1)
echo "appeals: $appeals; backup size: $(du -sb "$OUT/bk" | cut -f1) bytes"
echo "cp -r of the same folders: $c s"
echo "backup:  $b s ($(echo "scale=2; $b / $c" | bc) x cp)"
echo "restore: $r s ($(echo "scale=2; $r / $c" | bc) x cp)"
rm -rf "$OUT/cp" "$OUT/rs"
