#!/usr/bin/env bash
# The main job on the shipped default (README.md):
#  1. predict-potential writes the KKRimp starting potential of Fe in Cu from the shipped model
#     and host potential (milliseconds);
#  2. our own Green-function solver converges the impurity from that start and from the
#     standard atomic-superposition start, and prints the SCF iterations of both.
# Step 2 uses the shipped Cu host Green function (Potentials/hostcache/, the database's host);
# for another host it computes the host once (cached in demo/hostcache, minutes on 2 cores).
# DEMO_HOST / DEMO_IMPURITY choose another pair; DEMO_VERIFY=0 skips step 2.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release
HOST=${DEMO_HOST:-Cu}
IMP=${DEMO_IMPURITY:-Fe}
OUT=demo
mkdir -p "$OUT"

echo "== 1. predict-potential: $IMP in $HOST (shipped model Potentials/model.h5) =="
"$BIN/predict-potential" --host "$HOST" --impurity "$IMP" -o "$OUT/$IMP-in-$HOST.potential" --force
echo "   KKRimp input written: $OUT/$IMP-in-$HOST.potential and $OUT/scoef"

if [ "${DEMO_VERIFY:-1}" = "0" ]; then exit 0; fi

echo
echo "== 2. verify: impurity SCF from the predicted start and from the atomic-superposition start =="
shipped=$(ls Potentials/hostcache/"$HOST"-*.h5 2>/dev/null | head -1 || true)
if [ -n "$shipped" ]; then
  common=(--host-file "$shipped" --impurity "$IMP" --shells 1 --force)
else
  common=(--host "$HOST" --impurity "$IMP" --lmax 2 --shells 1 --cache-dir "$OUT/hostcache" --force)
fi
"$BIN/kkr-emulator" impurity "${common[@]}" --start "$OUT/$IMP-in-$HOST.potential" -o "$OUT/$IMP-in-$HOST.from-emulator" --json > "$OUT/emulator.json"
"$BIN/kkr-emulator" impurity "${common[@]}" --start atomic -o "$OUT/$IMP-in-$HOST.from-atomic" --json > "$OUT/atomic.json"
python3 - "$OUT" <<'EOF'
import json, sys
d = sys.argv[1]
e, a = (json.load(open(f"{d}/{k}.json")) for k in ("emulator", "atomic"))
print(f"   emulator start: {e['iterations']:3d} iterations, m_imp = {e['impurityMomentMuB']:.3f} μB")
print(f"   atomic start:   {a['iterations']:3d} iterations, m_imp = {a['impurityMomentMuB']:.3f} μB")
print(f"   saving: {100 * (1 - e['iterations'] / a['iterations']):.0f} % of the SCF iterations "
      f"(convergence curves: {d}/*.convergence.svg)")
try:
    b = json.load(open("docs/results/benchmark/summary.json"))
    print(f"   (Fe in Cu is a training pair of the shipped model; on {b['pairs']} held-out pairs the median saving is")
    print(f"    {100 * b['medianReductionEmulatorVsAtomic']:.0f} %: docs/results/benchmark/report.md)")
except (OSError, ValueError, KeyError):
    print("   (held-out benchmark: docs/results/benchmark/report.md)")
EOF
