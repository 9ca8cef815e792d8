#!/usr/bin/env bash
# SQL shell benchmark (issue 6), on the 10 M-appeal workspace of scripts/bench-refresh.sh
# (run that first; BENCH_DIR as there):
#   (a) `rexian sql` start to prompt, through a pseudo-terminal (best of 5);
#   (b) a full-scan aggregate over every appeal in the shell (the time it prints, best of 3
#       statements in one session) against the same statement through DuckDB's API in one
#       process (examples/duckdb_scan.rs, best of 3).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/rexian-target}
command -v ccache >/dev/null && export CC="ccache cc" CXX="ccache c++"
OUT=${BENCH_DIR:-$PWD/bench-out/refresh}
WS="$OUT/ws"
[ -f "$WS/warehouse/rexian.duckdb" ] || { echo "no warehouse in $WS: run scripts/bench-refresh.sh first" >&2; exit 2; }
cargo build --release --bin rexian --example duckdb_scan
BIN=$CARGO_TARGET_DIR/release/rexian
SCAN=$CARGO_TARGET_DIR/release/examples/duckdb_scan
QUERY="select region_name, count(*) as n, count(distinct department) as departments, avg(length(content)) as text_len, max(accepted_at) as last from appeals group by region_name order by n desc"

echo "== (a) start to prompt"
python3 - "$BIN" "$WS" <<'PY'
import os, pty, select, sys, time
binary, ws = sys.argv[1], sys.argv[2]
best = 1e9
for _ in range(5):
    t = time.time()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm"
        os.execv(binary, [binary, "-w", ws, "sql"])
    out = b""
    while b"rexian> " not in out:
        r, _, _ = select.select([fd], [], [], 5)
        if not r:
            break
        out += os.read(fd, 4096)
    best = min(best, time.time() - t)
    os.write(fd, b".quit\r")
    os.waitpid(pid, 0)
print(f"RESULT shell start to prompt: {best*1000:.0f} ms (target <= 200 ms)")
PY

echo "== (b) full-scan aggregate"
shell=$(printf '%s;\n%s;\n%s;\n' "$QUERY" "$QUERY" "$QUERY" | "$BIN" -w "$WS" sql --format csv -f /dev/stdin 2>&1 >/dev/null | sed -nE 's/.* in ([0-9.]+) s/\1/p' | sort -n | head -1)
"$SCAN" "$WS/warehouse/rexian.duckdb" "$QUERY" | tee "$OUT/scan.txt"
api=$(sed -nE 's/RESULT duckdb api: ([0-9.]+) s/\1/p' "$OUT/scan.txt")
python3 -c "s, a = $shell, $api; print(f'RESULT full scan: shell {s:.3} s, DuckDB API {a:.3} s, ratio {s/a:.2f} (target <= 1.2)')"
