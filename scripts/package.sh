#!/usr/bin/env bash
# Builds rexian_VERSION_amd64.deb with dpkg-deb: the binary, a systemd unit running
# `rexian serve` as the `rexian` user on /srv/rexian (made by `rexian init` on the first
# install, never overwritten by an upgrade), Depends on the CJK font, README as documentation.
# Usage: scripts/package.sh [OUT_DIR (default .)]
#        (REXIAN_BIN=path packages a binary already built; REXIAN_DEB_VERSION overrides the
#        version, e.g. for an upgrade test; REXIAN_DEB_FAST=1 compresses quickly, for tests)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.}
if [ -z "${REXIAN_BIN:-}" ]; then
  source scripts/setup.sh
  rexian_setup
  cargo build --release --bin rexian
  REXIAN_BIN=$CARGO_TARGET_DIR/release/rexian
fi
version=${REXIAN_DEB_VERSION:-$(sed -nE 's/^version = "(.*)"/\1/p' Cargo.toml | head -1)}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
install -D -m 0755 "$REXIAN_BIN" "$root/usr/bin/rexian"
strip --strip-debug "$root/usr/bin/rexian" 2>/dev/null || true
install -D -m 0644 packaging/rexian.service "$root/lib/systemd/system/rexian.service"
install -D -m 0644 README.md "$root/usr/share/doc/rexian/README.md"
gzip -9n "$root/usr/share/doc/rexian/README.md"
mkdir -p "$root/DEBIAN"
for s in postinst prerm postrm; do install -m 0755 "packaging/$s" "$root/DEBIAN/$s"; done
size=$(du -sk "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: rexian
Version: $version
Architecture: amd64
Maintainer: rexian developers <rexian@localhost>
Installed-Size: $size
Depends: libc6, libstdc++6, libgcc-s1, fonts-noto-cjk, passwd
Section: misc
Priority: optional
Description: 12345-hotline data into law-enforcement supervision work (热线)
 rexian loads 12345-hotline extracts into an embedded DuckDB warehouse and a Parquet
 lake with personal data masked, computes the indicator system, grades appeals, and
 typesets the monthly, quarterly and pilot-year reports with Typst. The package runs
 rexian serve as the rexian user on /srv/rexian.
CONTROL
mkdir -p "$out"
deb="$out/rexian_${version}_amd64.deb"
if [ -n "${REXIAN_DEB_FAST:-}" ]; then compress=(-Zgzip -z1); else compress=(-Zxz); fi
dpkg-deb --root-owner-group "${compress[@]}" --build "$root" "$deb" >/dev/null
echo "$deb ($(du -h "$deb" | cut -f1))"
