#!/usr/bin/env bash
# Installs the system packages melguard needs to build its native addon and render images.
# Idempotent: does nothing when everything is present. Debian/Ubuntu (apt) only; elsewhere it says what to install.
set -euo pipefail

APT_PACKAGES=(cmake ninja-build pkg-config g++ libkissfft-dev libsndfile1-dev libsoxr-dev fonts-dejavu-core)

have_all() {
  command -v cmake >/dev/null && command -v pkg-config >/dev/null && command -v g++ >/dev/null || return 1
  pkg-config --exists kissfft-float sndfile soxr || return 1
  [ -d /usr/share/fonts/truetype/dejavu ] || return 1
}

if have_all; then
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  echo "melguard bootstrap: this system has no apt-get. Install these (or your distribution's equivalents):" >&2
  echo "  cmake >= 3.18, ninja, pkg-config, a C++17 compiler, kissfft (float, with CMake config), libsndfile >= 1.1, libsoxr, DejaVu fonts" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "melguard bootstrap: run as root or install sudo; packages needed: ${APT_PACKAGES[*]}" >&2
    exit 1
  fi
fi

echo "melguard bootstrap: installing ${APT_PACKAGES[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
$SUDO apt-get install -y -q --no-install-recommends "${APT_PACKAGES[@]}" >/dev/null
have_all || { echo "melguard bootstrap: packages installed but kissfft/sndfile/soxr still not found by pkg-config" >&2; exit 1; }
echo "melguard bootstrap: system packages ready" >&2
