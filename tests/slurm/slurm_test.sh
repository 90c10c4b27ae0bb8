#!/usr/bin/env bash
# The sharded sweep on a real Slurm cluster (Debian's slurm-wlm + munge, one node): submit the
# job array with sbatch --wait, merge the parts, and compare with the unsharded sweep byte for
# byte. Exits 77 (CTest: skipped) where Slurm cannot run: not root, or not installed.
set -euo pipefail
slsim=$1 root=$2
if [ "$(id -u)" -ne 0 ] || ! command -v sbatch >/dev/null || [ ! -x /usr/sbin/slurmctld ]; then
  echo "SKIP: needs root and Debian's slurm-wlm and munge (.ci/setup installs them)"
  exit 77
fi
work=$(mktemp -d /tmp/slsim-slurm-test.XXXXXX)
export SLSIM_SLURM_DIR=$work/cluster
trap '"$root/tests/slurm/cluster.sh" stop; rm -rf "$work"' EXIT
# Assigned apart from `export`, which would hide cluster.sh's failure (sbatch would then wait
# 60 s on an empty configuration path before failing).
SLURM_CONF=$("$root/tests/slurm/cluster.sh" start) || {
  echo "FAIL: the one-node Slurm cluster did not start (its log is above)"
  exit 1
}
export SLURM_CONF


scenario=$root/scenarios/steady-poisson.yaml
grid=(--grid memory=1GB..3GB:1GB --grid provisioned_concurrency=0..3 -r 3)
"$slsim" sweep "$scenario" "${grid[@]}" -q --out "$work/whole"
cd "$work"
SLSIM=$slsim sbatch --wait --array=1-4 --chdir="$work" \
  "$root/tests/slurm/sweep_array.sbatch" "$scenario" "$work/parts" "${grid[@]}"
"$slsim" merge "$work"/parts/part-* --out "$work/merged"
for f in sweep.csv jobs.txt manifest.txt; do
  cmp "$work/whole/$f" "$work/merged/$f"
done
echo "4 Slurm array tasks merged equal the unsharded sweep: sweep.csv, jobs.txt, manifest.txt"
