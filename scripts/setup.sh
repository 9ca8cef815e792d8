#!/usr/bin/env bash
# Shared set-up for the README's two commands and CI: installs what rexian needs on a Debian
# or Ubuntu machine (as root) when it is missing, and says clearly what it cannot install.
# Sourced, not run: it exports CARGO_TARGET_DIR and the ccache compiler wrappers.

# Rust from the distribution, when the machine has none: Debian 12 packages a recent one as
# rustc-web and cargo-web (1.96 in bookworm-security), Ubuntu as versioned rustc-1.NN and
# cargo-1.NN. Anything older than 1.92 (Typst needs it) is not taken.
rexian_install_rust() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "rexian is built with Rust (1.92 or newer) and cargo was not found." >&2
    echo "Install Rust with rustup (see rust-lang.org/tools/install) or your system's packages, then run this again." >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1 || true
  local pkgs="" minor
  minor=$(apt-cache policy rustc-web 2>/dev/null | sed -nE 's/^ *Candidate: 1\.([0-9]+).*/\1/p')
  if [ -n "$minor" ] && [ "$minor" -ge 92 ]; then
    pkgs="rustc-web cargo-web"
  else
    minor=$(apt-cache search --names-only '^rustc-1\.[0-9]+$' 2>/dev/null \
      | sed -nE 's/^rustc-1\.([0-9]+) .*/\1/p' | sort -n | tail -1)
    if [ -n "$minor" ] && [ "$minor" -ge 92 ] && apt-cache show "cargo-1.$minor" >/dev/null 2>&1; then
      pkgs="rustc-1.$minor cargo-1.$minor"
      # The versioned packages put cargo and rustc under /usr/lib/rust-1.NN/bin.
      export PATH="/usr/lib/rust-1.$minor/bin:$PATH"
    fi
  fi
  if [ -z "$pkgs" ]; then
    echo "rexian is built with Rust 1.92 or newer; cargo was not found and this system packages no Rust that recent." >&2
    echo "On Debian 12 enable bookworm-security (it has rustc-web and cargo-web 1.96); elsewhere install Rust with rustup (rust-lang.org/tools/install). Then run this again." >&2
    return 1
  fi
  echo "Installing Rust from the system's packages ($pkgs) ..."
  apt-get install -y -qq --no-install-recommends $pkgs >/dev/null || {
    echo "Could not install $pkgs with apt-get; install Rust 1.92 or newer by hand (rustup) and run this again." >&2
    return 1
  }
}

rexian_setup() {
  local need=()
  command -v cc >/dev/null 2>&1 && command -v c++ >/dev/null 2>&1 || need+=(build-essential)
  command -v ccache >/dev/null 2>&1 || need+=(ccache)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
  # The PDFs (reports) need a CJK font; Noto CJK is the fallback when the official fonts
  # (方正小标宋, 仿宋_GB2312, 黑体, 楷体) are not installed.
  if ! (command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -qi 'CJK\|Song\|Hei\|Kai\|Fang'); then
    need+=(fonts-noto-cjk fontconfig)
  fi
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
      echo "rexian needs these packages: ${need[*]}" >&2
      echo "Install them as root (apt-get install ${need[*]}) or with your system's package manager, then run this again." >&2
      return 1
    fi
    echo "Installing ${need[*]} ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || {
      echo "Could not install ${need[*]} with apt-get; install them by hand and run this again." >&2
      return 1
    }
  fi

  [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
  if ! command -v cargo >/dev/null 2>&1; then
    rexian_install_rust || return 1
  fi
  local v
  v=$(rustc --version | sed -E 's/rustc ([0-9]+)\.([0-9]+).*/\1 \2/')
  set -- $v
  if [ "$1" -lt 1 ] || { [ "$1" -eq 1 ] && [ "$2" -lt 92 ]; }; then
    echo "rexian needs Rust 1.92 or newer; this machine has $(rustc --version). Update it (rustup update)." >&2
    return 1
  fi

  # One target folder outside the clone and ccache in front of the C++ compiler, so DuckDB's
  # bundled C++ (over 30 minutes on 2 cores) is built once, not on every run.
  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/rexian-target}
  export CC="ccache cc" CXX="ccache c++"
  export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
  ccache --max-size=5G >/dev/null 2>&1 || true
  return 0
}
