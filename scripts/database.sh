#!/usr/bin/env bash
# The default database, the shipped model and the convergence benchmark, in one resumable run
# (docs/dataset.md, docs/results/emulator.md, docs/results/benchmark/report.md):
#   1. dataset generate: 8 hosts × 33 impurities, host potential zero of the solver (muffin-tin
#      shell), resumable (rerun after an interruption);
#   2. merge, dataset report (docs/results/dataset/);
#   3. held-out validation of the recipes (random pairs, leave one impurity out);
#   4. the shipped model: trained without the benchmark's held-out pairs;
#   5. the benchmark on the held-out pairs (docs/results/benchmark/).
# ≈ 2 core-hours for step 1 at 130 pairs per core-hour (stop 17), minutes for the rest.
# DB (default data/db), RECIPE (default trend), STEPS (default "1 2 3 4 5") choose what runs.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/kkr-emulator
DB=${DB:-data/db}
RECIPE=${RECIPE:-trend}
STEPS=${STEPS:-"1 2 3 4 5"}
HOSTS=Al,V,Cu,Mo,Rh,Pd,Ag,Au
IMPURITIES=Sc,Ti,V,Cr,Mn,Fe,Co,Ni,Cu,Zn,Y,Zr,Nb,Mo,Tc,Ru,Rh,Pd,Ag,Cd,Hf,Ta,W,Re,Os,Ir,Pt,Au,Hg,Al,Ga,In,Sn
HELD_OUT=docs/results/benchmark/held-out-pairs.txt
export OPENBLAS_NUM_THREADS=1
has() { [[ " $STEPS " == *" $1 "* ]]; }

if has 1; then
  "$BIN" dataset generate --hosts "$HOSTS" --impurities "$IMPURITIES" -o "$DB" --progress lines
fi
if has 2; then
  "$BIN" dataset merge "$DB-merged.h5" "$DB" --force
  "$BIN" dataset report "$DB-merged.h5" -o docs/results/dataset
fi
if has 3; then
  for r in residual trend; do
    "$BIN" train "$DB-merged.h5" -o "$DB-validation-$r.h5" --atom-table "$DB-atoms.h5" --host-cache "$DB/hostcache" --recipe "$r" \
      --splits randomPairs,leaveOneImpurityOut --learning-curve none --force --no-plots --json > "$DB-validation-$r.json"
  done
fi
if has 4; then
  "$BIN" dataset merge "$DB-train.h5" "$DB-merged.h5" --exclude "@$HELD_OUT" --force
  "$BIN" train "$DB-train.h5" -o Potentials/model.h5 --atom-table "$DB-atoms.h5" --host-cache "$DB/hostcache" --recipe "$RECIPE" \
    --splits none --learning-curve none --force --no-plots
fi
if has 5; then
  unset OPENBLAS_NUM_THREADS
  rm -f docs/results/benchmark/runs.json   # a new model: no resuming from the old runs
  "$BIN" benchmark --pairs "@$HELD_OUT" --dataset "$DB-merged.h5" --model Potentials/model.h5 \
    --starts converged,atomic,emulator --cache-dir "$DB/hostcache" -o docs/results/benchmark
fi
