#!/usr/bin/env bash
# Makes and deploys the cluster ROUNDS times in a row (default 20) and counts the rounds
# that gave a working cluster: `make cluster` (nodes, the CNI applied once all have
# registered, the network check) then `make deploy` (helm test and every edge pod to pod).
# It also counts the rounds whose kube-router state needed the repair `make cluster` does
# (none should: that is the root cause the ordering removes). Each round ends with
# `make down`. Not part of CI: about 3 minutes a round here.
#
#   k8s/cluster-rounds.sh [ROUNDS]      (make cluster-rounds ROUNDS=20)
# Log of each round: .run/cluster-rounds/<n>.log
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${1:-20}
logs=$ROOT/.run/cluster-rounds
mkdir -p "$logs"
cd "$ROOT" || exit 1

worked=0 repaired=0 failed=()
echo "cluster rounds: building what make deploy loads (stand-ins, images), if missing…"
make --no-print-directory standins images >"$logs/images.log" 2>&1 || { echo "make images failed (see $logs/images.log)" >&2; exit 1; }
make --no-print-directory down >/dev/null 2>&1
for ((n = 1; n <= rounds; n++)); do
  started=$SECONDS
  log=$logs/$n.log
  if make --no-print-directory cluster >"$log" 2>&1 && make --no-print-directory deploy >>"$log" 2>&1; then
    worked=$((worked + 1))
    result=working
  else
    failed+=("$n")
    result="FAILED: $(grep -E '^(cluster-check|cluster|helm test failed|Error):' "$log" | tail -n 1)"
  fi
  if grep -q "kube-router's state is partial" "$log"; then repaired=$((repaired + 1)); result+=" (kube-router repaired)"; fi
  make --no-print-directory down >>"$log" 2>&1 || { echo "round $n: make down failed (see $log)" >&2; exit 1; }
  echo "round $n/$rounds: $result in $((SECONDS - started)) s"
done
echo "cluster rounds: $worked of $rounds working; $repaired needed kube-router repaired${failed[*]:+; failed: ${failed[*]}}"
[ "$worked" -eq "$rounds" ]
