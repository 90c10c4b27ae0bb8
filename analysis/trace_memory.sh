#!/usr/bin/env bash
# Streaming memory of a per-invocation trace replay: peak RSS of `slsim run` replaying N rows
# (N = 1e7, 1e8, 1e9 by default) of a CSV generated on the fly into a FIFO (no file on disk:
# 1e9 rows would be 10 GB). Rows are one request every millisecond (1,000/s) to one endpoint.
#   bash analysis/trace_memory.sh [slsim] [N...]
set -euo pipefail
slsim=${1:-build/slsim}
shift || true
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(10000000 100000000 1000000000)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkfifo "$dir/trace.csv"
for n in "${counts[@]}"; do
  seconds=$(( n / 1000 + 60 ))
  cat > "$dir/s.yaml" <<YAML
name: fifo-$n
duration: ${seconds}s
endpoints:
  - name: api
    memory: 2048MB
    max_concurrency: 200
    traffic:
      - {type: trace_csv, file: $dir/trace.csv, timestamp_unit: ms}
YAML
  { echo timestamp; seq 0 $(( n - 1 )); } > "$dir/trace.csv" &
  writer=$!
  rm -rf "$dir/out"
  /usr/bin/time -f "%e s wall, %M kB peak RSS" "$slsim" run "$dir/s.yaml" -q --out "$dir/out" \
    --metrics-period 1440min 2> "$dir/err" || { cat "$dir/err"; exit 1; }
  wait "$writer"
  requests=$(grep -o '"requests": {"mean": [0-9]*' "$dir/out/summary.json" | tail -1 | grep -o '[0-9]*$')
  stats=$(tail -1 "$dir/err")
  echo "rows $n: requests $requests; $stats"
done
