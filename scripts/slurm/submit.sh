#!/usr/bin/env bash
# Submits the generate array and the merge that runs when every task succeeded.
#
#   scripts/slurm/submit.sh N            (with OUT, HOSTS, IMPURITIES, … in the environment)
#
# Prints the two job ids. Extra sbatch options (partition, account) go in SBATCH_ARGS.
set -euo pipefail
N="${1:?usage: submit.sh NUMBER_OF_SHARDS}"
: "${OUT:?set OUT}" "${HOSTS:?set HOSTS}" "${IMPURITIES:?set IMPURITIES}"
HERE="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$OUT"
# shellcheck disable=SC2086
ARRAY=$(sbatch --parsable ${SBATCH_ARGS:-} --array="1-$N" --export="ALL,SHARDS=$N" \
  --chdir="$OUT" "$HERE/generate.sbatch")
ARRAY="${ARRAY%%;*}"
# shellcheck disable=SC2086
MERGE=$(sbatch --parsable ${SBATCH_ARGS:-} --dependency="afterok:$ARRAY" --export=ALL \
  --chdir="$OUT" "$HERE/merge.sbatch")
echo "generate array: $ARRAY  merge: ${MERGE%%;*}"
