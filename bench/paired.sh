#!/usr/bin/env bash
# Paired throughput comparison of two servers on a noisy machine: for each test and pipeline depth, ROUNDS
# rounds of redis-benchmark in the order A B B A, each round giving the ratio (A1 + A2) / (B1 + B2). Running
# the two servers back to back in mirrored order cancels the machine's drift within a round (on the shared
# 2-core machines used here one server's rate swings by 30% within seconds), and the median of many rounds
# is steadier than medians of whole runs taken at different moments. Prints, per cell, the median ratio, the
# middle half of the rounds' ratios, how many rounds A won, and each server's median rate and median p99
# latency over its runs (redis-benchmark's own p99 of each run; CLIENTS=1 gives the one-client latency).
# A and B: "redis", "cinnabar" (this checkout's Release build) or the path of a cinnabar-server.dll built
# from another commit. Env knobs: A (default cinnabar), B (default redis), TESTS (redis-benchmark -t names or
# the workloads of workloads.sh, such as evalsha or xadd; default "get,set,incr,mset"), PIPELINES (default "1 16"), ROUNDS (default 10), CLIENTS (default 50),
# N (requests per run at -P 1, default 100000; deeper pipelines run N x P / 4, so each run lasts long
# enough to be measured), A_CPUS / B_CPUS / BENCH_CPUS (a taskset CPU list each server's threads and
# redis-benchmark are pinned to, e.g. A_CPUS=1 B_CPUS=1 BENCH_CPUS=0 for one core each), A_LOOPS / B_LOOPS
# (a Cinnabar's number of epoll loops, CINNABAR_EPOLL_LOOPS; default 1), A_ENV / B_ENV (one NAME=VALUE in that
# server's environment only, e.g. A_ENV=CINNABAR_BUSY_POLL_US=0 B=cinnabar for polling off against on),
# WARMUP (seconds of unmeasured runs before each cell, default 8).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
A=${A:-cinnabar}
B=${B:-redis}
TESTS=${TESTS:-get,set,incr,mset}
PIPELINES=${PIPELINES:-1 16}
ROUNDS=${ROUNDS:-10}
CLIENTS=${CLIENTS:-50}
N=${N:-100000}
WARMUP=${WARMUP:-8}
source "$HERE/lib.sh"
source "$HERE/workloads.sh"

# start SPEC NAME LOOPS CPUS: starts the server SPEC names (in this shell, so the exit trap knows its PID) with
# LOOPS epoll loops (Cinnabar), its threads pinned to CPUS when given; sets SERVER_PORT.
start() {
  local log="$WORK/$2.log"
  # A_ENV / B_ENV: one NAME=VALUE put in that server's environment only.
  if [ -n "${5:-}" ]; then export "${5?}"; fi
  case "$1" in
    redis | cinnabar) CINNABAR_EPOLL_LOOPS=$3 start_server "$1" 0 "$log" ;;
    *.dll) CINNABAR_EPOLL_LOOPS=$3 CINNABAR_DLL="$1" start_server cinnabar 0 "$log" ;;
    *) echo "A and B are redis, cinnabar or a cinnabar-server.dll path, not '$1'" >&2; return 1 ;;
  esac
  # Threads started later inherit the affinity of the thread that starts them.
  if [ -n "$4" ]; then taskset -a -p -c "$4" "$SERVER_PID" >/dev/null; fi
  if [ -n "${5:-}" ]; then unset "${5%%=*}"; fi
}
start "$A" a "${A_LOOPS:-1}" "${A_CPUS:-}" "${A_ENV:-}"
a_port=$SERVER_PORT
start "$B" b "${B_LOOPS:-1}" "${B_CPUS:-}" "${B_ENV:-}"
b_port=$SERVER_PORT
bench_prefix=()
[ -n "${BENCH_CPUS:-}" ] && bench_prefix=(taskset -c "$BENCH_CPUS")
echo "A = $A on $a_port, B = $B on $b_port" >&2

# rps PORT TEST P: "requests-per-second p99-ms" of one redis-benchmark run (after the workload's preparation).
rps() {
  local requests=$(($3 > 1 ? N * $3 / 4 : N))
  workload "$1" "$2"
  "${bench_prefix[@]}" redis-benchmark -h 127.0.0.1 -p "$1" -c "$CLIENTS" -n "$requests" -P "$3" --csv "${WORKLOAD[@]}" 2>/dev/null |
    grep -v '^"test"' | grep '^"' | tail -n 1 | tr -d '"' | awk -F, '{ printf "%.0f %s\n", $2, $7 }'
}

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "| test | P | median A/B | middle half | rounds A ahead | A rps (median) | B rps (median) | A p99 ms (median) | B p99 ms (median) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
IFS=',' read -r -a test_list <<<"$TESTS"
for test in "${test_list[@]}"; do
  for p in $PIPELINES; do
    # Unmeasured runs each until WARMUP seconds have passed, so both have the keys the test needs and .NET has
    # finished compiling its code: tiered compilation goes on for about 8 s after code first runs (the JIT thread
    # took 1-3% of the CPU each second until then, 5% of a profile of EVALSHA's first seconds).
    warm_start=$SECONDS
    while :; do
      rps "$a_port" "$test" "$p" >/dev/null
      rps "$b_port" "$test" "$p" >/dev/null
      [ $((SECONDS - warm_start)) -ge "$WARMUP" ] && break
    done
    ratios=() a_all=() b_all=() a_p99=() b_p99=()
    for ((r = 0; r < ROUNDS; r++)); do
      read -r a1 a1p <<<"$(rps "$a_port" "$test" "$p")"; read -r b1 b1p <<<"$(rps "$b_port" "$test" "$p")"
      read -r b2 b2p <<<"$(rps "$b_port" "$test" "$p")"; read -r a2 a2p <<<"$(rps "$a_port" "$test" "$p")"
      ratios+=("$(awk -v a=$((a1 + a2)) -v b=$((b1 + b2)) 'BEGIN { printf "%.4f", a / b }')")
      a_all+=("$a1" "$a2"); b_all+=("$b1" "$b2"); a_p99+=("$a1p" "$a2p"); b_p99+=("$b1p" "$b2p")
    done
    printf '%s\n' "${ratios[@]}" | sort -g | awk -v test="${test^^}" -v p="$p" \
      -v a_med="$(printf '%s\n' "${a_all[@]}" | median)" -v b_med="$(printf '%s\n' "${b_all[@]}" | median)" \
      -v a_p99="$(printf '%s\n' "${a_p99[@]}" | median)" -v b_p99="$(printf '%s\n' "${b_p99[@]}" | median)" '
      { v[NR] = $1; if ($1 > 1) ahead++ }
      END {
        median = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "| %s | %s | %.3f | %.3f-%.3f | %d of %d | %s | %s | %s | %s |\n", test, p, median,
          v[int(NR / 4) + 1], v[NR - int(NR / 4)], ahead, NR, a_med, b_med, a_p99, b_p99
      }'
  done
done
echo
echo "redis-benchmark -c $CLIENTS, $ROUNDS ABBA rounds per cell, N=$N at -P 1 (N x P / 4 deeper), $(nproc) cores;" \
  "A on CPUs ${A_CPUS:-any} with ${A_LOOPS:-1} loop(s), B on ${B_CPUS:-any} with ${B_LOOPS:-1}, redis-benchmark on ${BENCH_CPUS:-any}"
