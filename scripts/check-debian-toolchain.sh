#!/usr/bin/env bash
# Checks that the demo builds and runs with the distribution's Rust alone: rustup's toolchain
# is hidden (another HOME, a PATH without ~/.cargo/bin), so scripts/setup.sh installs
# rustc-web/cargo-web (Debian 12) or rustc-1.NN/cargo-1.NN (Ubuntu) and builds with them, in
# the same target folder and ccache as usual. Prints the toolchain and the time taken.
# Usage: scripts/check-debian-toolchain.sh [DEMO_DIR (default /tmp/rexian-debian-demo)]
set -euo pipefail
cd "$(dirname "$0")/.."
real_home=$HOME
fake_home=$(mktemp -d)
started=$(date +%s)
env -i \
  HOME="$fake_home" \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  CARGO_HOME="$real_home/.cargo-debian" \
  CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$real_home/.cache/rexian-target}" \
  CCACHE_DIR="${CCACHE_DIR:-$real_home/.cache/ccache}" \
  bash -c 'source scripts/setup.sh && rexian_setup && echo "toolchain: $(command -v cargo) $(cargo --version), $(rustc --version)" && cargo build --release --bin rexian && "$CARGO_TARGET_DIR/release/rexian" demo --dir "$1"' \
  _ "${1:-/tmp/rexian-debian-demo}"
echo "built and ran the demo with the system's Rust in $(( $(date +%s) - started )) s"
rm -rf "$fake_home"
