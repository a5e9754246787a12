#!/usr/bin/env bash
# Many idle clients, as a new user would leave them: Debian's redis-server and Cinnabar one after the other in
# one run. For each server: IDLE connections (default 10000) each send one PING and then stay idle; after
# SETTLE seconds (default 6: redis-server's cron frees an idle client's query buffer after 2 s) the RSS growth
# over the freshly started server, divided by IDLE, is the memory per idle connection. Then the refusal at
# maxclients (set to the connections held; the next connection must get Redis's error line), then
# redis-benchmark -t set,get -c 50 -P 1 with the idle clients connected, once they closed, and with them
# connected again (the two runs with them are averaged).
# Prints a markdown table with the ratios cinnabar / redis.
# Env: IDLE (default 10000), REQUESTS per test (default 200000), SETTLE (default 6).
# Numbers from a shared machine vary from run to run: compare within one run.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"

IDLE=${IDLE:-10000}
REQUESTS=${REQUESTS:-200000}
SETTLE=${SETTLE:-6}
CLIENTS=50
MAXCLIENTS=$((IDLE + CLIENTS + 100))

# Both servers and the idle-client holder need a descriptor per connection, plus their own.
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((MAXCLIENTS + 200)) ]; then
  echo "the hard limit of open files ($(ulimit -Hn)) is too low for $MAXCLIENTS clients" >&2
  exit 1
fi

source "$HERE/lib.sh"
IDLE_PID=
trap 'stop_idle; stop_all_servers; rm -rf "$WORK"' EXIT

connected() { redis-cli -p "$1" info clients | awk -F: '/^connected_clients:/ { print $2 + 0 }'; }

stop_idle() {
  [ -n "$IDLE_PID" ] || return 0
  echo close >&"${HOLDER[1]}" 2>/dev/null || true
  wait "$IDLE_PID" 2>/dev/null || true
  IDLE_PID=
}

# bench PORT: "SET-rps GET-rps" from redis-benchmark with CLIENTS clients at -P 1.
bench() {
  redis-benchmark -p "$1" -t set,get -n "$REQUESTS" -c "$CLIENTS" -P 1 --csv 2>/dev/null |
    awk -F, '$1 == "\"SET\"" { gsub(/"/, "", $2); s = $2 } $1 == "\"GET\"" { gsub(/"/, "", $2); g = $2 } END { print s, g }'
}

# hold PORT: opens IDLE idle clients in the background (the HOLDER coprocess) and waits until all got +PONG.
hold() {
  local line
  coproc HOLDER { exec "$PY" "$HERE/idle_clients.py" "$1" "$IDLE"; }
  IDLE_PID=$!
  read -r line <&"${HOLDER[0]}"
  [ "$line" = ready ] || { echo "idle clients failed to connect" >&2; exit 1; }
}

# release PORT: closes the idle clients and waits until the server has seen them go (redis-cli itself is left).
release() {
  stop_idle
  for _ in $(seq 1 300); do
    [ "$(connected "$1")" -le 1 ] && break
    sleep 0.1
  done
}

declare -A R
run() { # run KIND
  local kind=$1 port pid rss0 rss1 line set1 get1 set2 get2
  start_server "$kind" 0 "$WORK/$kind.log" --maxclients "$MAXCLIENTS"
  port=$SERVER_PORT pid=$SERVER_PID
  redis-cli -p "$port" ping >/dev/null
  rss0=$(rss_kb "$pid")
  hold "$port"
  sleep "$SETTLE"
  rss1=$(rss_kb "$pid")
  R[$kind.rss0]=$rss0
  R[$kind.per_conn]=$(awk -v a="$rss0" -v b="$rss1" -v n="$IDLE" 'BEGIN { printf "%.2f", (b - a) / n }')
  R[$kind.clients]=$(connected "$port")
  echo "probe $MAXCLIENTS" >&"${HOLDER[1]}"
  read -r line <&"${HOLDER[0]}"
  R[$kind.refused]=$line
  bench "$port" >/dev/null # warm-up (the JIT's first tiers), not counted
  # With the idle clients, without, and with them again: the mean of the two runs with them cancels a drift
  # over time (a JIT still warming, a neighbour's load changing).
  read -r set1 get1 < <(bench "$port")
  release "$port"
  read -r R[$kind.set_alone] R[$kind.get_alone] < <(bench "$port")
  hold "$port"
  read -r set2 get2 < <(bench "$port")
  release "$port"
  R[$kind.set_idle]=$(awk -v a="$set1" -v b="$set2" 'BEGIN { printf "%.0f", (a + b) / 2 }')
  R[$kind.get_idle]=$(awk -v a="$get1" -v b="$get2" 'BEGIN { printf "%.0f", (a + b) / 2 }')
  stop_server "$pid"
  echo "$kind: done (with idle clients: SET $set1 then $set2, GET $get1 then $get2)" >&2
}

run redis
run cinnabar

ratio() { awk -v r="$1" -v c="$2" 'BEGIN { if (r == 0) print "-"; else printf "%.2f", c / r }'; }
row() { # row LABEL KEY
  echo "| $1 | ${R[redis.$2]} | ${R[cinnabar.$2]} | $(ratio "${R[redis.$2]}" "${R[cinnabar.$2]}") |"
}
echo
echo "$IDLE idle connections (one PING each, then $SETTLE s idle); redis-benchmark -t set,get -c $CLIENTS -P 1 -n $REQUESTS"
echo "(shared machine: expect noise between runs)"
echo "| | redis | cinnabar | cinnabar / redis |"
echo "| --- | ---: | ---: | ---: |"
row "RSS at start (KB)" rss0
row "RSS per idle connection (KB)" per_conn
row "connected_clients with the idle ones" clients
row "SET rps, 50 clients, idle ones connected" set_idle
row "SET rps, 50 clients alone" set_alone
row "GET rps, 50 clients, idle ones connected" get_idle
row "GET rps, 50 clients alone" get_alone
for kind in redis cinnabar; do
  echo "$kind: SET with idle / alone $(ratio "${R[$kind.set_alone]}" "${R[$kind.set_idle]}"), GET with idle / alone $(ratio "${R[$kind.get_alone]}" "${R[$kind.get_idle]}")"
done
echo "maxclients refusal, redis:    ${R[redis.refused]}"
echo "maxclients refusal, cinnabar: ${R[cinnabar.refused]}"
[ "${R[redis.refused]%% (*}" = "${R[cinnabar.refused]%% (*}" ] || { echo "the refusals differ" >&2; exit 1; }
