#!/usr/bin/env bash
# What the append-only file costs: write throughput with `appendonly yes` (appendfsync everysec by default)
# against the same server without it, for Cinnabar and for Debian's redis-server, in one run. Four servers
# run side by side (each on a free port, AOF ones in a temporary dir); each cell alternates which server of a
# pair goes first. Prints a markdown table: the AOF cost is 1 - rps(aof) / rps(no aof).
# Env knobs: N (requests per run, default 200000), TESTS (default "set,incr,lpush,hset"), PIPELINES
# (default "1 16"), CLIENTS (default 50), FSYNC (appendfsync of the AOF servers, default everysec),
# RUNS (runs per cell, best kept; default 1).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/../tests/interop/lib.sh"

N=${N:-200000}
TESTS=${TESTS:-set,incr,lpush,hset}
PIPELINES=${PIPELINES:-1 16}
CLIENTS=${CLIENTS:-50}
FSYNC=${FSYNC:-everysec}
RUNS=${RUNS:-1}
WORK=$(mktemp -d)
trap 'stop_all_servers; rm -rf "$WORK"' EXIT

echo "building Release..." >&2
build_cinnabar
declare -A PORT
for kind in redis cinnabar; do
  start_server "$kind" 0 "$WORK/$kind.log"
  PORT[$kind]=$SERVER_PORT
  mkdir -p "$WORK/$kind-aof"
  start_server "$kind" 0 "$WORK/$kind-aof.log" --dir "$WORK/$kind-aof" --appendonly yes --appendfsync "$FSYNC"
  PORT[$kind-aof]=$SERVER_PORT
done

# rps PORT TEST P: requests per second redis-benchmark measured (0 on failure).
rps() {
  local out
  out=$(redis-benchmark -h 127.0.0.1 -p "$1" -c "$CLIENTS" -n "$N" -P "$3" -r 100000 --csv -t "$2" 2>&1) || { echo 0; return; }
  echo "$out" | grep -v '^"test"' | grep '^"' | tail -n 1 | tr -d '"' | awk -F, '{ printf "%.0f\n", $2 }'
}

# best PORT_A PORT_B TEST P: "rpsA rpsB", the best of RUNS each, alternating which goes first.
round=0
best() {
  local a=0 b=0 x y
  for _ in $(seq 1 "$RUNS"); do
    if [ $((round % 2)) -eq 0 ]; then x=$(rps "$1" "$3" "$4"); y=$(rps "$2" "$3" "$4"); else y=$(rps "$2" "$3" "$4"); x=$(rps "$1" "$3" "$4"); fi
    round=$((round + 1))
    [ "$x" -gt "$a" ] && a=$x
    [ "$y" -gt "$b" ] && b=$y
  done
  echo "$a $b"
}

cost() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == 0) print "-"; else printf "%.1f%%\n", (1 - b / a) * 100 }'; }

echo "| test | P | cinnabar rps | cinnabar aof rps | cinnabar aof cost | redis rps | redis aof rps | redis aof cost |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for pipeline in $PIPELINES; do
  for test in ${TESTS//,/ }; do
    read -r c ca <<<"$(best "${PORT[cinnabar]}" "${PORT[cinnabar-aof]}" "$test" "$pipeline")"
    read -r r ra <<<"$(best "${PORT[redis]}" "${PORT[redis-aof]}" "$test" "$pipeline")"
    echo "| ${test^^} | $pipeline | $c | $ca | $(cost "$c" "$ca") | $r | $ra | $(cost "$r" "$ra") |"
  done
done
echo ""
echo "appendfsync $FSYNC; redis-benchmark -c $CLIENTS -n $N -r 100000, $(nproc) cores, $(redis-server --version | sed -E 's/.*v=([0-9.]+).*/redis-server \1/'), $(dotnet "$CINNABAR_DLL" --version)"
