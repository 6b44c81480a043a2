#!/usr/bin/env bash
# End-to-end test of the Slurm scripts on a throw-away single-node cluster (slurmctld + slurmd
# + munged on this machine, as root), with fake pair jobs:
#
#   apt-get install --no-install-recommends slurmctld slurmd slurm-client munge
#   swift build --build-tests
#   scripts/slurm/local-cluster-test.sh [path/to/batch-runner-testjob]
#
# Submits a 3-task generate array and the dependent merge (submit.sh), waits, and checks that the
# merged file holds every pair once. Starts its daemons with a private slurm.conf in a temporary
# directory and stops them (by pid) at the end. The Swift test KillRestartTests runs it when
# KKR_SLURM_TEST=1. Exit status 0 = passed.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
TESTJOB="${1:-$ROOT/.build/debug/batch-runner-testjob}"
[ -x "$TESTJOB" ] || { echo "no $TESTJOB: run swift build --build-tests" >&2; exit 2; }
for tool in slurmctld slurmd sbatch squeue sinfo munged; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install slurmctld slurmd slurm-client munge" >&2; exit 2; }
done
[ "$(id -u)" -eq 0 ] || { echo "run as root (starts slurmd)" >&2; exit 2; }

T="$(mktemp -d /tmp/kkr-slurm-test.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 0.5
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT

# munge: a private key and socket.
mkdir -p "$T/munge" && chmod 700 "$T/munge"
dd if=/dev/urandom of="$T/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$T/munge/munge.key"
munged --force --key-file="$T/munge/munge.key" --socket="$T/munge/socket" \
  --pid-file="$T/munge/munged.pid" --log-file="$T/munge/munged.log" --seed-file="$T/munge/seed"
sleep 0.3
PIDS+=("$(cat "$T/munge/munged.pid")")

NODE="$(hostname -s)"
CPUS="$(nproc)"
MEMORY_MB=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
PORT=$((20000 + RANDOM % 20000))
mkdir -p "$T/state" "$T/spool" "$T/out"
cat > "$T/slurm.conf" <<CONF
ClusterName=kkrtest
SlurmctldHost=$NODE
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
AuthType=auth/munge
AuthInfo=socket=$T/munge/socket
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
SlurmdTimeout=30
NodeName=$NODE CPUs=$CPUS RealMemory=$MEMORY_MB State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
export SLURM_CONF="$T/slurm.conf"
slurmctld -D -f "$SLURM_CONF" > "$T/slurmctld.stdout" 2>&1 & PIDS+=("$!")
slurmd -D -f "$SLURM_CONF" > "$T/slurmd.stdout" 2>&1 & PIDS+=("$!")

for _ in $(seq 1 100); do
  if sinfo -h -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then break; fi
  sleep 0.2
done
sinfo -h -o %t | grep -qE '^(idle|mix|alloc)' || { echo "slurm did not come up"; cat "$T"/slurmctld.log "$T"/slurmd.log; exit 1; }

export OUT="$T/out" HOSTS="Cu,Al" IMPURITIES="Ti-Ni" KKR_EMULATOR="$TESTJOB"
export EXTRA_ARGS="--fake-delay-ms 50" SBATCH_ARGS="--cpus-per-task=1 --mem-per-cpu=200M"
"$HERE/submit.sh" 3 | tee "$T/submit.txt"

for _ in $(seq 1 300); do
  [ -z "$(squeue -h -o %i)" ] && break
  sleep 0.2
done
[ -z "$(squeue -h -o %i)" ] || { echo "jobs did not finish"; squeue; exit 1; }

cat "$OUT"/slurm-kkr-dataset-merge-*.out
RECORDS=$(grep -o '"records" : [0-9]*' "$OUT"/slurm-kkr-dataset-merge-*.out | grep -o '[0-9]*$')
SHARDS=$(ls "$OUT"/shards/*.h5 | wc -l)
echo "shard files: $SHARDS, merged records: $RECORDS"
if [ "$SHARDS" -eq 3 ] && [ "$RECORDS" -eq 14 ]; then
  echo "local-cluster-test: PASSED"
else
  echo "local-cluster-test: FAILED"; tail -n 20 "$OUT"/slurm-*.out; exit 1
fi
