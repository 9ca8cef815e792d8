#!/usr/bin/env bash
# Builds the rexian binary of a git revision and copies it to OUT, for the benchmarks and the
# before/after comparisons. It builds from a worktree into the same target folder (so only
# rexian's own crate is compiled, not DuckDB), then rebuilds the working tree's binary, so
# that $CARGO_TARGET_DIR/release/rexian (and its build script) is the working tree's again.
#
# Usage: scripts/build-rev.sh REV OUT   (sourced set-up: scripts/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
rexian_setup
REV=$1
OUT=$2
SRC=$(mktemp -d)/src
git worktree add --detach "$SRC" "$REV" >/dev/null
trap 'git worktree remove --force "$SRC" 2>/dev/null || true' EXIT
(cd "$SRC" && cargo build --release --bin rexian)
cp "$CARGO_TARGET_DIR/release/rexian" "$OUT"
# Cargo gives the worktree's units the same hashes as ours (a path package's hash leaves its
# path out), so without a touch the revision's build script would stay in use: ours then
# embeds the sql/ files as the revision's build.rs chose them.
touch build.rs src/lib.rs
cargo build --release --bin rexian
