#!/usr/bin/env bash
# BGSAVE under a write load, Cinnabar beside Debian's redis-server in one run. Each server gets about KEYS keys
# (2*KEYS random SETs over KEYS names, VALUE bytes each), then redis-benchmark runs SET over the same keys from
# CLIENTS clients, ROUNDS times two: a run with no save, then a run while BGSAVEs go back to back for the whole
# run (the quiet run's p99 swings by half from run to run on a 2-core machine, so the rounds alternate and
# medians are compared). Printed per server: the median p99 of both kinds of run and their ratio (the issue
# asks Cinnabar's to stay within 2x), each run's p99, and the extra memory of the save as a share of
# used_memory: for Cinnabar the largest growth of its RSS during a saving run over its RSS just before it
# (sampled every 50 ms), for Redis the copy-on-write its fork child reports (current_cow_size while it runs,
# rdb_last_cow_size after; the peak). Servers are stopped by PID. Env: KEYS (default 1000000), VALUE (default
# 100), N (SETs per run, default 1000000), CLIENTS (default 50), ROUNDS (default 3). On a shared machine
# expect noise: run it alone, compare ratios, not absolute figures.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"

KEYS=${KEYS:-1000000}
VALUE=${VALUE:-100}
N=${N:-1000000}
CLIENTS=${CLIENTS:-50}
ROUNDS=${ROUNDS:-3}
source "$HERE/lib.sh"

info_field() { redis-cli -h 127.0.0.1 -p "$1" info persistence memory | tr -d '\r' | sed -n "s/^$2://p"; }
# p99 PORT: runs the SET load and prints its p99 latency (ms) from redis-benchmark's CSV.
p99() {
  redis-benchmark -h 127.0.0.1 -p "$1" -c "$CLIENTS" -n "$N" -r "$KEYS" -d "$VALUE" --csv -t set 2>/dev/null \
    | awk -F'","' 'NR == 2 { gsub(/"/, "", $7); print $7 }'
}

# median of the numbers given as arguments
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# measure KIND: sets R="p99_quiet p99_saving saves extra_kb used_kb" (medians over ROUNDS rounds, each a quiet
# run then a run with saves back to back; the extra memory is the largest of the rounds) and RUNS (each run's p99)
measure() {
  local kind=$1 dir="$WORK/$1" port pid used rss0 peak extra=0 rss cow=0 saves=0 bench round quiets=() savings=()
  mkdir -p "$dir"
  port=$(if [ "$kind" = cinnabar ]; then echo 0; else free_port; fi)
  start_server "$kind" "$port" "$dir/log" --dir "$dir" --save ''
  pid=$SERVER_PID
  port=$SERVER_PORT
  # The keys redis-benchmark's SETs will overwrite (key:000000000042 ...): about 86% of the range.
  redis-benchmark -h 127.0.0.1 -p "$port" -c 10 -P 64 -n $((KEYS * 2)) -r "$KEYS" -d "$VALUE" -t set -q >/dev/null 2>&1
  used=$(( $(info_field "$port" used_memory) / 1024 ))
  for ((round = 1; round <= ROUNDS; round++)); do
    quiets+=("$(p99 "$port")")
    rss0=$(rss_kb "$pid")
    peak=$rss0
    p99 "$port" >"$dir/saving" &
    bench=$!
    while kill -0 "$bench" 2>/dev/null; do
      if [ "$(info_field "$port" rdb_bgsave_in_progress)" = 0 ]; then
        redis-cli -h 127.0.0.1 -p "$port" bgsave >/dev/null && saves=$((saves + 1))
      fi
      rss=$(rss_kb "$pid")
      [ "$rss" -gt "$peak" ] && peak=$rss
      if [ "$kind" = redis ]; then
        rss=$(( $(info_field "$port" current_cow_size) / 1024 ))
        [ "$rss" -gt "$cow" ] && cow=$rss
      fi
      sleep 0.05
    done
    wait "$bench"
    savings+=("$(cat "$dir/saving")")
    [ $((peak - rss0)) -gt "$extra" ] && extra=$((peak - rss0))
    # The next quiet run starts once the last save is over.
    while [ "$(info_field "$port" rdb_bgsave_in_progress)" = 1 ]; do sleep 0.05; done
    if [ "$kind" = redis ]; then
      rss=$(( $(info_field "$port" rdb_last_cow_size) / 1024 ))
      [ "$rss" -gt "$cow" ] && cow=$rss
    fi
  done
  RUNS="no save: ${quiets[*]}; during BGSAVE: ${savings[*]}"
  if [ "$kind" = redis ]; then extra=$cow; fi
  R="$(median "${quiets[@]}") $(median "${savings[@]}") $saves $extra $used"
  stop_server "$pid"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f%%", 100 * a / b; else print "-" }'; }

echo "$KEYS keys of $VALUE bytes, $N SETs from $CLIENTS clients per run, $ROUNDS rounds" >&2
measure redis
read -r r_quiet r_saving r_saves r_extra r_used <<<"$R"
r_runs=$RUNS
measure cinnabar
read -r c_quiet c_saving c_saves c_extra c_used <<<"$R"
c_runs=$RUNS

echo "| server | median p99 no save ms | median p99 during BGSAVE ms | ratio | BGSAVEs | extra memory | of used_memory |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
echo "| redis | $r_quiet | $r_saving | $(ratio "$r_saving" "$r_quiet") | $r_saves | $((r_extra / 1024)) MB (CoW) | $(pct "$r_extra" "$r_used") |"
echo "| cinnabar | $c_quiet | $c_saving | $(ratio "$c_saving" "$c_quiet") | $c_saves | $((c_extra / 1024)) MB (RSS growth) | $(pct "$c_extra" "$c_used") |"
echo "cinnabar/redis p99 during BGSAVE: $(ratio "$c_saving" "$r_saving")"
echo "p99 of each run (ms), redis: $r_runs"
echo "p99 of each run (ms), cinnabar: $c_runs"
