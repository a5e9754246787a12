#!/usr/bin/env bash
# Throughput and latency of Cinnabar beside Debian's redis-server, measured by redis-benchmark on loopback.
# Builds Release, starts both servers on free ports, runs each test at each pipeline depth against both
# (alternating which goes first), and prints a markdown table. Both servers are stopped by PID at the end.
# Env knobs: N (requests per run, default 200000),
#            TESTS (default "set,get,incr,mset,lpush,lpop,sadd,hset,zadd,zrange100,pfadd,pfcount,geosearch,xadd,xrange10,
#            evalsha,tokenbucket"; the ones redis-benchmark has no -t for are described in workloads.sh),
#            PIPELINES (default "1 16"), CLIENTS (default 50), RUNS (runs per cell; default 1),
#            KEEP (which of a cell's RUNS is shown: best, the highest rps, or median; default best),
#            BASELINE_DLL (a cinnabar-server.dll built from an earlier commit: measured as a third server in the
#            same rounds, so a before/after comparison does not depend on two runs' different machine noise).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/../tests/interop/lib.sh"
source "$HERE/workloads.sh"

N=${N:-200000}
TESTS=${TESTS:-set,get,incr,mset,lpush,lpop,sadd,hset,zadd,zrange100,pfadd,pfcount,geosearch,xadd,xrange10,evalsha,tokenbucket}
PIPELINES=${PIPELINES:-1 16}
CLIENTS=${CLIENTS:-50}
RUNS=${RUNS:-1}
KEEP=${KEEP:-best}
case "$KEEP" in best | median) ;; *) echo "KEEP must be best or median" >&2; exit 2 ;; esac
LOGDIR=$(mktemp -d)
trap 'stop_all_servers; rm -rf "$LOGDIR"' EXIT

echo "building Release..." >&2
build_cinnabar
redis_port=$(free_port)
start_server redis "$redis_port" "$LOGDIR/redis.log"
redis_pid=$SERVER_PID
cinnabar_port=$(free_port)
start_server cinnabar "$cinnabar_port" "$LOGDIR/cinnabar.log"
cinnabar_pid=$SERVER_PID
echo "redis-server pid $redis_pid on $redis_port, cinnabar pid $cinnabar_pid on $cinnabar_port" >&2
ports=("$redis_port" "$cinnabar_port")
if [ -n "${BASELINE_DLL:-}" ]; then
  baseline_port=$(free_port)
  CINNABAR_DLL="$BASELINE_DLL" start_server cinnabar "$baseline_port" "$LOGDIR/baseline.log"
  echo "baseline pid $SERVER_PID on $baseline_port ($BASELINE_DLL)" >&2
  ports+=("$baseline_port")
fi

# run_one PORT TEST P: prints "rps p50 p99" from redis-benchmark's CSV, or "error" when it failed.
run_one() {
  local port=$1 test=$2 pipeline=$3 out
  workload "$port" "$test"
  if ! out=$(redis-benchmark -h 127.0.0.1 -p "$port" -c "$CLIENTS" -n "$N" -P "$pipeline" --csv "${WORKLOAD[@]}" 2>&1); then
    echo "error"
    return
  fi
  # Columns: test, rps, avg, min, p50, p95, p99, max (quoted).
  local row
  row=$(echo "$out" | grep -v '^"test"' | grep '^"' | tail -n 1 | tr -d '"')
  if [ -z "$row" ] || echo "$out" | grep -q 'Error from server'; then
    echo "error"
    return
  fi
  echo "$row" | awk -F, '{ printf "%.0f %s %s\n", $2, $5, $7 }'
}

# pick RESULTS: of a cell's newline-separated "rps p50 p99" results ("error" for a failed run), the one KEEP
# names: the highest rps, or the median by rps (the lower middle of an even count); "error" when all failed.
pick() {
  local sorted
  sorted=$(echo "$1" | grep -v '^error$' | grep . | sort -n -k1,1)
  if [ -z "$sorted" ]; then echo error; return; fi
  if [ "$KEEP" = best ]; then echo "$sorted" | tail -n 1
  else echo "$sorted" | awk '{ row[NR] = $0 } END { print row[int((NR + 1) / 2)] }'; fi
}

header="| test | P | redis rps | cinnabar rps | ratio | redis p50 ms | cinnabar p50 ms | redis p99 ms | cinnabar p99 ms |"
rule="| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
[ ${#ports[@]} -eq 3 ] && header+=" baseline rps | baseline ratio | baseline p99 ms |" rule+=" ---: | ---: | ---: |"
echo "$header"
echo "$rule"
ratio_of() { awk -v c="$1" -v r="$2" 'BEGIN { printf "%.2f", c / r }'; }
round=0
for pipeline in $PIPELINES; do
  for test in ${TESTS//,/ }; do
    results=()
    for i in "${!ports[@]}"; do results[i]=""; done
    for _ in $(seq 1 "$RUNS"); do
      # Rotate which server goes first, so none always gets the warmer machine.
      for k in "${!ports[@]}"; do
        i=$(( (round + k) % ${#ports[@]} ))
        results[i]+="$(run_one "${ports[i]}" "$test" "$pipeline")"$'\n'
      done
      round=$((round + 1))
    done
    best=()
    for i in "${!ports[@]}"; do best[i]=$(pick "${results[i]}"); done
    read -r r_rps r_p50 r_p99 <<<"${best[0]}"
    read -r c_rps c_p50 c_p99 <<<"${best[1]}"
    ratio="-"
    [ "${best[0]}" != error ] && [ "${best[1]}" != error ] && ratio=$(ratio_of "$c_rps" "$r_rps")
    row="| ${test^^} | $pipeline | ${r_rps} | ${c_rps} | $ratio | ${r_p50:--} | ${c_p50:--} | ${r_p99:--} | ${c_p99:--} |"
    if [ ${#ports[@]} -eq 3 ]; then
      read -r b_rps _ b_p99 <<<"${best[2]}"
      b_ratio="-"
      [ "${best[0]}" != error ] && [ "${best[2]}" != error ] && b_ratio=$(ratio_of "$b_rps" "$r_rps")
      row+=" ${b_rps} | $b_ratio | ${b_p99:--} |"
    fi
    echo "$row"
  done
done
echo ""
echo "redis-benchmark -c $CLIENTS -n $N, $KEEP of $RUNS, $(nproc) cores, $(redis-server --version | sed -E 's/.*v=([0-9.]+).*/redis-server \1/'), $(dotnet "$CINNABAR_DLL" --version)"
