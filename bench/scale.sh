#!/usr/bin/env bash
# A large keyspace as a new user tries it: KEYS keys ("key:%012d", 16-byte values) loaded through
# redis-cli --pipe, then redis-benchmark's random SET and GET over all of them (-r KEYS) with CLIENTS clients,
# Debian's redis-server and Cinnabar one after the other in one run. Prints requests per second, p99 and the
# worst request of each, and the ratios; for Cinnabar also the longest GC pause during the random phase
# (the runtime's own pause events, through LATENCY's gc-pause) and during the load. Then FLUSHALL: how long
# it took and Cinnabar's RSS over the next 30 s against its empty RSS, with the longest pause meanwhile.
# Env: KEYS (default 10000000), REQUESTS per test (default 2000000), CLIENTS (default 50), ORDER (which server
# runs first: "redis cinnabar", the default, or "cinnabar redis").
# Numbers from a shared machine vary from run to run: compare within one run.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"

KEYS=${KEYS:-10000000}
REQUESTS=${REQUESTS:-2000000}
CLIENTS=${CLIENTS:-50}
ORDER=${ORDER:-redis cinnabar}
source "$HERE/lib.sh"

gc_pause() { # longest gc-pause (ms) in LATENCY LATEST since the last LATENCY RESET, or 0
  redis-cli -p "$1" latency latest | awk 'prev == "gc-pause" { getline; getline; print; found = 1; exit } { prev = $0 } END { if (!found) print 0 }'
}

load() { # load PORT: SET key:%012d for 0..KEYS-1
  awk -v n="$KEYS" 'BEGIN { for (i = 0; i < n; i++) printf "*3\r\n$3\r\nSET\r\n$16\r\nkey:%012d\r\n$16\r\nval:%012d\r\n", i, i }' |
    redis-cli -p "$1" --pipe | tail -n 1
}

declare -A R
run() { # run KIND
  local kind=$1 port pid start end
  start_server "$kind" 0 "$WORK/$kind.log" --latency-monitor-threshold 1
  port=$SERVER_PORT pid=$SERVER_PID
  R[$kind.empty_rss]=$(rss_kb "$pid")
  start=$(date +%s.%N)
  echo "$kind: loading $KEYS keys: $(load "$port")" >&2
  end=$(date +%s.%N)
  R[$kind.load_s]=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
  R[$kind.load_pause]=$(gc_pause "$port")
  redis-cli -p "$port" latency reset >/dev/null
  R[$kind.rss]=$(rss_kb "$pid")
  redis-benchmark -p "$port" -t set,get -n "$REQUESTS" -r "$KEYS" -c "$CLIENTS" -d 16 --csv 2>/dev/null >"$WORK/$kind.csv"
  R[$kind.run_pause]=$(gc_pause "$port")
  while IFS=, read -r test rps avg min p50 p95 p99 max; do
    test=${test//\"/}
    [ "$test" = test ] && continue
    R[$kind.$test.rps]=${rps//\"/} R[$kind.$test.p99]=${p99//\"/} R[$kind.$test.max]=${max//\"/}
  done <"$WORK/$kind.csv"
  redis-cli -p "$port" latency reset >/dev/null
  start=$(date +%s.%N)
  redis-cli -p "$port" flushall >/dev/null
  end=$(date +%s.%N)
  R[$kind.flush_ms]=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
  local t rss back=-
  for t in $(seq 1 30); do
    sleep 1
    rss=$(rss_kb "$pid")
    if [ "$back" = - ] && [ "$rss" -le $((R[$kind.empty_rss] * 3 / 2)) ]; then back=$t; fi
  done
  R[$kind.rss_after]=$rss R[$kind.back_s]=$back
  R[$kind.flush_pause]=$(gc_pause "$port")
  stop_server "$pid"
}

for kind in $ORDER; do run "$kind"; done
ratio() { awk -v c="$2" -v r="$1" 'BEGIN { if (r == 0) print "-"; else printf "%.2f", c / r }'; }
echo
echo "$KEYS keys, random SET/GET over all of them, $CLIENTS clients, $REQUESTS requests per test (shared machine: expect noise)"
echo "| | redis | cinnabar | cinnabar / redis |"
echo "| --- | ---: | ---: | ---: |"
for test in SET GET; do
  echo "| $test requests/s | ${R[redis.$test.rps]} | ${R[cinnabar.$test.rps]} | $(ratio "${R[redis.$test.rps]}" "${R[cinnabar.$test.rps]}") |"
  echo "| $test p99 (ms) | ${R[redis.$test.p99]} | ${R[cinnabar.$test.p99]} | $(ratio "${R[redis.$test.p99]}" "${R[cinnabar.$test.p99]}") |"
  echo "| $test worst (ms) | ${R[redis.$test.max]} | ${R[cinnabar.$test.max]} | $(ratio "${R[redis.$test.max]}" "${R[cinnabar.$test.max]}") |"
done
echo "| load time (s) | ${R[redis.load_s]} | ${R[cinnabar.load_s]} | $(ratio "${R[redis.load_s]}" "${R[cinnabar.load_s]}") |"
echo "| RSS loaded (MiB) | $((R[redis.rss] / 1024)) | $((R[cinnabar.rss] / 1024)) | $(ratio "${R[redis.rss]}" "${R[cinnabar.rss]}") |"
echo "| longest GC pause, random phase (ms) | - | ${R[cinnabar.run_pause]} | |"
echo "| longest GC pause, load (ms) | - | ${R[cinnabar.load_pause]} | |"
echo "| FLUSHALL via redis-cli, process start included (ms) | ${R[redis.flush_ms]} | ${R[cinnabar.flush_ms]} | |"
echo "| RSS 30 s after FLUSHALL / empty RSS | $(ratio "${R[redis.empty_rss]}" "${R[redis.rss_after]}") | $(ratio "${R[cinnabar.empty_rss]}" "${R[cinnabar.rss_after]}") | |"
echo "| seconds until RSS <= 1.5x empty | ${R[redis.back_s]} | ${R[cinnabar.back_s]} | |"
echo "| longest GC pause after FLUSHALL (ms) | - | ${R[cinnabar.flush_pause]} | |"
