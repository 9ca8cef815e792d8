#!/usr/bin/env bash
# Before/after comparison of every figure a user can export: the same generated extracts are
# loaded and refreshed by the binary of BASE_REV ("before") and by the working tree's ("after"),
# each in its own workspace with the same masking key, and the CSV output of `indicators`
# (every --by, with --detail), `grade`, every `analyse` and the push list (Parquet, as CSV) for
# several periods, city-wide and for one region, is compared file by file. The rules version
# (it changes with any rule) is left out of the comparison; a column that only one side has is
# reported as added or removed, and the remaining columns are compared.
#
# Usage: scripts/compare-figures.sh [BASE_REV (default ff042f2)] [PER_MONTH (default 3000)]
#        (BEFORE_BIN=path uses a binary already built instead of building BASE_REV)
# Prints one line per file and ends with "figures: N identical, N reordered, N different";
# before that, "bytes: N files identical, N differ" for every CSV, workbook and PDF compared
# byte for byte (the reports included).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
rexian_setup
BASE_REV=${1:-ff042f2}
PER_MONTH=${2:-3000}
OUT=${BENCH_DIR:-$PWD/bench-out}/compare
rm -rf "$OUT" && mkdir -p "$OUT"
if [ -n "${BEFORE_BIN:-}" ]; then cp "$BEFORE_BIN" "$OUT/rexian-before"; cargo build --release --bin rexian; else scripts/build-rev.sh "$BASE_REV" "$OUT/rexian-before"; fi
cp "$CARGO_TARGET_DIR/release/rexian" "$OUT/rexian-after"

"$OUT/rexian-after" generate --out "$OUT/extracts" --per-month "$PER_MONTH" >/dev/null
PERIODS="2023-11 2024-03 2024Q1 pilot"
for side in before after; do
  BIN=$OUT/rexian-$side
  WS=$OUT/ws-$side
  "$BIN" init "$WS" >/dev/null
  echo "5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed" >"$WS/secret.key"
  "$BIN" -w "$WS" ingest -q "$OUT/extracts" >/dev/null || [ $? -eq 3 ]
  "$BIN" -w "$WS" refresh >/dev/null
  mkdir -p "$OUT/$side"
  for p in $PERIODS; do
    for region in "" 任城区; do
      r=${region:+--region $region}
      tag=$p${region:+-$region}
      for by in department region field city; do
        [ -n "$region" ] && [ "$by" = region ] && continue
        "$BIN" -w "$WS" indicators --period "$p" --by "$by" $r --format csv -o "$OUT/$side/indicators-$by-$tag.csv"
      done
      "$BIN" -w "$WS" indicators --period "$p" --by city $r --detail --format csv -o "$OUT/$side/detail-$tag.csv"
      "$BIN" -w "$WS" grade --period "$p" $r --format csv -o "$OUT/$side/grade-$tag.csv" 2>/dev/null
      for a in hot disputes warnings focus supervision pilot-effect; do
        "$BIN" -w "$WS" analyse "$a" --period "$p" $r --format csv -o "$OUT/$side/analyse-$a-$tag.csv"
      done
    done
    "$BIN" -w "$WS" export push-list --period "$p" --out "$OUT/$side/push-$p" >/dev/null
    PQ=$(ls "$OUT/$side/push-$p/"*.parquet)
    "$BIN" -w "$WS" sql -c "copy (select * from read_parquet('$PQ')) to '$OUT/$side/push-list-$p.csv' (header)" --write >/dev/null
  done
  # The reports: the same data gives the same PDF bytes (the version string aside, and both
  # binaries carry the same one unless Cargo.toml's version changed).
  mkdir -p "$OUT/$side/pdf"
  "$BIN" -w "$WS" report monthly 2024-03 --out "$OUT/$side/pdf" >/dev/null
  "$BIN" -w "$WS" report quarterly 2024Q1 --region 任城区 --out "$OUT/$side/pdf" >/dev/null
  "$BIN" -w "$WS" report pilot-summary pilot --out "$OUT/$side/pdf" >/dev/null
done

# Byte for byte: every CSV, the push lists' workbooks and the PDFs.
same=0; differ=0
while IFS= read -r f; do
  rel=${f#"$OUT/before/"}
  if cmp -s "$f" "$OUT/after/$rel"; then same=$((same + 1)); else differ=$((differ + 1)); echo "BYTES DIFFER  $rel"; fi
done < <(find "$OUT/before" -type f \( -name '*.csv' -o -name '*.xlsx' -o -name '*.pdf' \) | sort)
echo "bytes: $same files identical, $differ differ"

python3 - "$OUT" <<'PY'
import csv, os, re, sys
out = sys.argv[1]
version = re.compile(r"r\d+\.\d+\.\d+-[0-9a-f]{10}")
def read(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0] if rows else [], rows[1:]
same = diff = reordered = 0
for name in sorted(os.listdir(f"{out}/before")):
    if not name.endswith(".csv"):
        continue
    hb, rb = read(f"{out}/before/{name}")
    ha, ra = read(f"{out}/after/{name}")
    notes = []
    if hb != ha:
        added = [c for c in ha if c not in hb]
        removed = [c for c in hb if c not in ha]
        if added: notes.append("added columns " + "、".join(added))
        if removed: notes.append("removed columns " + "、".join(removed))
    common = [c for c in hb if c in ha]
    def pick(h, rows):
        idx = [h.index(c) for c in common]
        return [[version.sub("RULES", r[i]) if i < len(r) else "" for i in idx] for r in rows]
    if pick(hb, rb) == pick(ha, ra):
        same += 1
        print(f"identical  {name}" + (f" ({'; '.join(notes)})" if notes else ""))
    elif sorted(pick(hb, rb)) == sorted(pick(ha, ra)):
        reordered += 1
        print(f"REORDERED  {name}: the same rows in another order")
    else:
        diff += 1
        b, a = pick(hb, rb), pick(ha, ra)
        first = next((i for i, (x, y) in enumerate(zip(b, a)) if x != y), min(len(b), len(a)))
        print(f"DIFFERENT  {name}: {len(b)} rows before, {len(a)} after, first difference at row {first + 1}"
              + (f" ({'; '.join(notes)})" if notes else ""))
print(f"figures: {same} identical, {reordered} reordered, {diff} different")
PY
