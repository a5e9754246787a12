#!/usr/bin/env bash
# A large keyspace as a new user tries it: KEYS keys ("key:%012d", 16-byte values) loaded through
# redis-cli --pipe into Debian's redis-server and into Cinnabar (both running, loaded one after the other),
# then redis-benchmark's random SET and GET over all of them (-r KEYS) with CLIENTS clients, in ROUNDS paired
# rounds: odd rounds Redis first, even rounds Cinnabar first (ABBA), so the machine's drift falls on both.
# Prints each round's requests per second, p99 and worst request, then the median ratio of each over the
# rounds and the worst request of all rounds; for Cinnabar also the longest GC pause (the runtime's own pause
# events, through LATENCY's gc-pause) during the random phase and during the load. Then FLUSHALL on each:
# how long it took and the RSS over the next 30 s against the empty server's, with the longest pause meanwhile.
# Env: KEYS (default 10000000), REQUESTS per test and round (default 1000000), ROUNDS (default 4),
# CLIENTS (default 50).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"

KEYS=${KEYS:-10000000}
REQUESTS=${REQUESTS:-1000000}
ROUNDS=${ROUNDS:-4}
CLIENTS=${CLIENTS:-50}
source "$HERE/lib.sh"

gc_pause() { # longest gc-pause (ms) in LATENCY LATEST since the last LATENCY RESET, or 0
  redis-cli -p "$1" latency latest | awk 'prev == "gc-pause" { getline; getline; print; found = 1; exit } { prev = $0 } END { if (!found) print 0 }'
}

load() { # load PORT: SET key:%012d for 0..KEYS-1
  awk -v n="$KEYS" 'BEGIN { for (i = 0; i < n; i++) printf "*3\r\n$3\r\nSET\r\n$16\r\nkey:%012d\r\n$16\r\nval:%012d\r\n", i, i }' |
    redis-cli -p "$1" --pipe | tail -n 1
}

seconds_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }'; }

declare -A R PORT PID
for kind in redis cinnabar; do
  start_server "$kind" 0 "$WORK/$kind.log" --latency-monitor-threshold 1
  PORT[$kind]=$SERVER_PORT PID[$kind]=$SERVER_PID
  R[$kind.empty_rss]=$(rss_kb "$SERVER_PID")
done
for kind in redis cinnabar; do
  start=$(date +%s.%N)
  echo "$kind: loading $KEYS keys: $(load "${PORT[$kind]}")" >&2
  R[$kind.load_s]=$(seconds_since "$start")
  R[$kind.load_pause]=$(gc_pause "${PORT[$kind]}")
  redis-cli -p "${PORT[$kind]}" latency reset >/dev/null
  R[$kind.rss]=$(rss_kb "${PID[$kind]}")
done

bench() { # bench KIND ROUND: one random SET and GET run, kept as R[KIND.ROUND.TEST.{rps,p99,max}]
  local kind=$1 round=$2 test rps avg min p50 p95 p99 max
  redis-benchmark -p "${PORT[$kind]}" -t set,get -n "$REQUESTS" -r "$KEYS" -c "$CLIENTS" -d 16 --csv 2>/dev/null >"$WORK/$kind.$round.csv"
  while IFS=, read -r test rps avg min p50 p95 p99 max; do
    test=${test//\"/}
    [ "$test" = test ] && continue
    R[$kind.$round.$test.rps]=${rps//\"/} R[$kind.$round.$test.p99]=${p99//\"/} R[$kind.$round.$test.max]=${max//\"/}
  done <"$WORK/$kind.$round.csv"
}

for round in $(seq 1 "$ROUNDS"); do
  order="redis cinnabar"
  [ $((round % 2)) = 0 ] && order="cinnabar redis"
  for kind in $order; do bench "$kind" "$round"; done
  echo "round $round ($order): SET ${R[redis.$round.SET.rps]} / ${R[cinnabar.$round.SET.rps]}, GET ${R[redis.$round.GET.rps]} / ${R[cinnabar.$round.GET.rps]} requests/s" >&2
done
R[cinnabar.run_pause]=$(gc_pause "${PORT[cinnabar]}")
# Each server's own record of slow work in the random phase (LATENCY LATEST since the reset after loading):
# a stall that shows here was the server's; one that shows only in the client's worst request was not.
for kind in redis cinnabar; do
  R[$kind.spikes]=$(redis-cli -p "${PORT[$kind]}" latency latest | awk 'NR % 4 == 1 { e = $0 } NR % 4 == 0 { printf "%s%s %s ms", sep, e, $0; sep = ", " }')
done
# Which collection the longest pause since start-up belonged to (generation, kind, reason, phases), and the
# longest of the random phase (kept since the LATENCY RESET after loading).
stats=$(redis-cli -p "${PORT[cinnabar]}" memory malloc-stats)
R[cinnabar.pause_cause]=$(sed -nE 's/.*longest-pause: ([0-9.]+ ms \([^)]*\)).*/\1/p' <<<"$stats")
R[cinnabar.run_pause_cause]=$(sed -nE 's/^longest-pause-since-latency-reset: (.*)$/\1/p' <<<"$stats")

ratio() { awk -v c="$2" -v r="$1" 'BEGIN { if (r == 0) print "-"; else printf "%.2f", c / r }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
largest() { sort -g | tail -n 1; }

for kind in redis cinnabar; do
  start=$(date +%s.%N)
  redis-cli -p "${PORT[$kind]}" flushall >/dev/null
  R[$kind.flush_ms]=$(awk -v s="$(seconds_since "$start")" 'BEGIN { printf "%.0f", s * 1000 }')
  redis-cli -p "${PORT[$kind]}" latency reset >/dev/null
done
for kind in redis cinnabar; do R[$kind.back_s]=-; done
for t in $(seq 1 30); do
  sleep 1
  for kind in redis cinnabar; do
    rss=$(rss_kb "${PID[$kind]}")
    R[$kind.rss_after]=$rss
    if [ "${R[$kind.back_s]}" = - ] && [ "$rss" -le $((R[$kind.empty_rss] * 3 / 2)) ]; then R[$kind.back_s]=$t; fi
  done
done
R[cinnabar.flush_pause]=$(gc_pause "${PORT[cinnabar]}")
R[cinnabar.flush_pause_cause]=$(redis-cli -p "${PORT[cinnabar]}" memory malloc-stats | sed -nE 's/^longest-pause-since-latency-reset: (.*)$/\1/p')

echo
echo "$KEYS keys, random SET/GET over all of them, $CLIENTS clients, $ROUNDS paired rounds of $REQUESTS requests per test"
echo "| round | test | redis rps | cinnabar rps | ratio | redis p99 | cinnabar p99 | ratio | redis worst | cinnabar worst |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for round in $(seq 1 "$ROUNDS"); do
  for test in SET GET; do
    a="redis.$round.$test" b="cinnabar.$round.$test"
    echo "| $round | $test | ${R[$a.rps]} | ${R[$b.rps]} | $(ratio "${R[$a.rps]}" "${R[$b.rps]}") | ${R[$a.p99]} | ${R[$b.p99]} | $(ratio "${R[$a.p99]}" "${R[$b.p99]}") | ${R[$a.max]} | ${R[$b.max]} |"
  done
done
echo
echo "| | redis | cinnabar | cinnabar / redis |"
echo "| --- | ---: | ---: | ---: |"
for test in SET GET; do
  rps=$(for r in $(seq 1 "$ROUNDS"); do ratio "${R[redis.$r.$test.rps]}" "${R[cinnabar.$r.$test.rps]}"; echo; done | median)
  p99=$(for r in $(seq 1 "$ROUNDS"); do ratio "${R[redis.$r.$test.p99]}" "${R[cinnabar.$r.$test.p99]}"; echo; done | median)
  worst_redis=$(for r in $(seq 1 "$ROUNDS"); do echo "${R[redis.$r.$test.max]}"; done | largest)
  worst_ours=$(for r in $(seq 1 "$ROUNDS"); do echo "${R[cinnabar.$r.$test.max]}"; done | largest)
  echo "| $test requests/s, median ratio of the rounds | | | $rps |"
  echo "| $test p99, median ratio of the rounds | | | $p99 |"
  echo "| $test worst request of all rounds (ms) | $worst_redis | $worst_ours | $(ratio "$worst_redis" "$worst_ours") |"
done
echo "| load time (s) | ${R[redis.load_s]} | ${R[cinnabar.load_s]} | $(ratio "${R[redis.load_s]}" "${R[cinnabar.load_s]}") |"
echo "| RSS loaded (MiB) | $((R[redis.rss] / 1024)) | $((R[cinnabar.rss] / 1024)) | $(ratio "${R[redis.rss]}" "${R[cinnabar.rss]}") |"
echo "| slow work the server saw, random phase (LATENCY LATEST, max) | ${R[redis.spikes]:-none} | ${R[cinnabar.spikes]:-none} | |"
echo "| longest GC pause, random phase (ms) | - | ${R[cinnabar.run_pause]} | |"
echo "| longest GC pause, load (ms) | - | ${R[cinnabar.load_pause]} | |"
echo "| longest pause since start-up, with its collection | - | ${R[cinnabar.pause_cause]} | |"
echo "| longest pause of the random phase, with its collection | - | ${R[cinnabar.run_pause_cause]} | |"
echo "| FLUSHALL via redis-cli, process start included (ms) | ${R[redis.flush_ms]} | ${R[cinnabar.flush_ms]} | |"
echo "| RSS 30 s after FLUSHALL / empty RSS | $(ratio "${R[redis.empty_rss]}" "${R[redis.rss_after]}") | $(ratio "${R[cinnabar.empty_rss]}" "${R[cinnabar.rss_after]}") | |"
echo "| seconds until RSS <= 1.5x empty | ${R[redis.back_s]} | ${R[cinnabar.back_s]} | |"
echo "| longest GC pause after FLUSHALL (ms) | - | ${R[cinnabar.flush_pause]} | |"
echo "| longest pause after FLUSHALL, with its collection | - | ${R[cinnabar.flush_pause_cause]} | |"
