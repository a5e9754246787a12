#!/usr/bin/env bash
# Memory per key of Cinnabar beside Debian's redis-server: loads KEYS keys "key:%010d" with 16-byte values
# into both (a generated RESP file piped through redis-cli --pipe), then reports the growth of RSS
# (/proc/PID/status VmRSS) and of used_memory (INFO memory) per key, and the ratio. Stops both by PID.
# Env knobs: KEYS (default 1000000), SETTLE (seconds to wait before measuring, default 2).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/../tests/interop/lib.sh"

KEYS=${KEYS:-1000000}
SETTLE=${SETTLE:-2}
WORK=$(mktemp -d)
trap 'stop_all_servers; rm -rf "$WORK"' EXIT

echo "building Release..." >&2
build_cinnabar

# SET key:0000000001 val:000000000001 (16 bytes) ... as RESP, written once and piped into both servers.
awk -v n="$KEYS" 'BEGIN {
  for (i = 1; i <= n; i++) printf "*3\r\n$3\r\nSET\r\n$14\r\nkey:%010d\r\n$16\r\nval:%012d\r\n", i, i
}' >"$WORK/load.resp"

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
used_memory() { redis-cli -p "$1" info memory 2>/dev/null | tr -d '\r' | awk -F: '/^used_memory:/ { print $2 }'; }

# measure KIND: starts the server, loads the keys, sets M="rss_before rss_after used_before used_after" (kB, bytes).
# Runs in this shell (not a subshell), so the EXIT trap knows every PID it started.
measure() {
  local kind=$1 port pid rss0 rss1 used0 used1 result
  port=$(free_port)
  start_server "$kind" "$port" "$WORK/$kind.log"
  pid=$SERVER_PID
  sleep "$SETTLE"
  rss0=$(rss_kb "$pid")
  used0=$(used_memory "$port")
  result=$(redis-cli -p "$port" --pipe <"$WORK/load.resp" 2>&1 | tail -n 1)
  echo "$kind: $result" >&2
  if [ "$result" != "errors: 0, replies: $KEYS" ]; then
    echo "$kind: loading failed: $result" >&2
    return 1
  fi
  sleep "$SETTLE"
  rss1=$(rss_kb "$pid")
  used1=$(used_memory "$port")
  stop_server "$pid"
  M="$rss0 $rss1 ${used0:-none} ${used1:-none}"
}

measure redis
read -r r_rss0 r_rss1 r_used0 r_used1 <<<"$M"
measure cinnabar
read -r c_rss0 c_rss1 c_used0 c_used1 <<<"$M"

per_key() { # per_key BEFORE AFTER SCALE -> bytes per key, or "-" when the server gave no number
  if [ "$1" = none ] || [ "$2" = none ] || [ -z "$1" ] || [ -z "$2" ]; then echo "-"; return; fi
  awk -v a="$1" -v b="$2" -v s="$3" -v n="$KEYS" 'BEGIN { printf "%.1f", (b - a) * s / n }'
}
ratio() { if [ "$1" = - ] || [ "$2" = - ]; then echo "-"; else awk -v c="$2" -v r="$1" 'BEGIN { printf "%.2f", c / r }'; fi; }

r_rss=$(per_key "$r_rss0" "$r_rss1" 1024)
c_rss=$(per_key "$c_rss0" "$c_rss1" 1024)
r_used=$(per_key "$r_used0" "$r_used1" 1)
c_used=$(per_key "$c_used0" "$c_used1" 1)

echo "| $KEYS keys, 14-byte key, 16-byte value | redis | cinnabar | cinnabar / redis |"
echo "| --- | ---: | ---: | ---: |"
echo "| RSS growth per key (bytes) | $r_rss | $c_rss | $(ratio "$r_rss" "$c_rss") |"
echo "| used_memory growth per key (bytes) | $r_used | $c_used | $(ratio "$r_used" "$c_used") |"
echo "| RSS after load (MiB) | $((r_rss1 / 1024)) | $((c_rss1 / 1024)) | $(ratio "$r_rss1" "$c_rss1") |"
