#!/usr/bin/env bash
# Installs the C libraries the package links against (Debian/Ubuntu, needs root or sudo).
# Idempotent: does nothing when every package is already installed.
set -euo pipefail
packages=(libopenblas-dev liblapacke-dev libgsl-dev libhdf5-dev libxc-dev pkg-config)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
