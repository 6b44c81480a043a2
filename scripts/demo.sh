#!/usr/bin/env bash
# The main job on the shipped default. Grows with the project (see README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release
echo "== element data for the default impurity (Fe) =="
"$BIN/kkr-emulator" element Fe
