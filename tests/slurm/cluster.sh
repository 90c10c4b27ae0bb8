#!/usr/bin/env bash
# A single-node Slurm cluster for the sharded-sweep test, from Debian's slurm-wlm and munge:
# slurmctld and slurmd as root on this machine, state under $SLSIM_SLURM_DIR.
#   cluster.sh start   -> prints the SLURM_CONF path to use; the cluster answers sinfo
#   cluster.sh stop
# Needs root (CI runs as root); slurm-wlm and munge must be installed (.ci/setup does it).
set -euo pipefail
dir=${SLSIM_SLURM_DIR:-/tmp/slsim-slurm}
conf=$dir/slurm.conf

stop() {
  for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  sleep 1
}

case "${1:-}" in
  start)
    stop
    mkdir -p "$dir/state" "$dir/spool"
    host=$(hostname -s)
    cpus=$(nproc)
    cat > "$conf" <<CONF
ClusterName=slsim-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
    # munge: a key (Debian's package makes one) and the daemon, which refuses root without --force.
    [ -f /etc/munge/munge.key ] || /usr/sbin/mungekey --create >/dev/null
    mkdir -p /run/munge && chown munge:munge /run/munge 2>/dev/null || true
    pgrep -x munged >/dev/null || /usr/sbin/munged --force
    export SLURM_CONF=$conf
    /usr/sbin/slurmctld -f "$conf"
    /usr/sbin/slurmd -f "$conf"
    for _ in $(seq 1 30); do
      if sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
        echo "$conf"
        exit 0
      fi
      sleep 1
    done
    echo "the Slurm cluster did not come up; see $dir/slurmctld.log and $dir/slurmd.log" >&2
    exit 1
    ;;
  stop)
    stop
    ;;
  *)
    echo "usage: cluster.sh start|stop" >&2
    exit 2
    ;;
esac
