#!/usr/bin/env bash
# Memory per key of Cinnabar beside Debian's redis-server, for two data sets loaded into fresh servers
# (a generated RESP file piped through redis-cli --pipe): KEYS strings "key:%010d" with 16-byte values, and
# HASHES hashes "hash:%07d" of 10 small fields ("field01" -> "v%07d"), and one stream of STREAM_ENTRIES
# entries of 3 small fields ("f1" -> "v%07d" ... "f3", IDs "%d-0"; per entry). Reports the growth of RSS
# (/proc/PID/status VmRSS) and of used_memory (INFO memory) per key, and the ratio. Stops servers by PID.
# Also a sorted set of ZSET_MEMBERS members and KEYS strings with a TTL; BIG_KEYS > 0 adds a row of that many
# strings (10000000 for the 10M row: about 2 GB per server and minutes of loading).
# Env knobs: KEYS (default 1000000), HASHES (default 100000), STREAM_ENTRIES (default 1000000),
# ZSET_MEMBERS (default 1000000), LISTS (default 100000: lists "list:%07d" of 10 items "item-%03d"), BIG_KEYS (default 0), SETTLE (seconds to wait before measuring,
# default 3: Cinnabar returns freed memory to the OS one second after the last command).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"

KEYS=${KEYS:-1000000}
HASHES=${HASHES:-100000}
STREAM_ENTRIES=${STREAM_ENTRIES:-1000000}
ZSET_MEMBERS=${ZSET_MEMBERS:-1000000}
LISTS=${LISTS:-100000}
BIG_KEYS=${BIG_KEYS:-0}
SETTLE=${SETTLE:-3}
source "$HERE/lib.sh"

# SET key:0000000001 val:000000000001 (16 bytes) ... as RESP, written once and piped into both servers.
# strings PREFIX N: SET PREFIX:0000000001 val:000000000001 (16 bytes) ... as RESP.
strings() {
  awk -v p="$1" -v n="$2" 'BEGIN {
    for (i = 1; i <= n; i++) printf "*3\r\n$3\r\nSET\r\n$14\r\n%s:%010d\r\n$16\r\nval:%012d\r\n", p, i, i
  }'
}
strings key "$KEYS" >"$WORK/load.resp"
strings wrm 20000 >"$WORK/load.resp.warm"

used_memory() { redis-cli -p "$1" info memory 2>/dev/null | tr -d '\r' | awk -F: '/^used_memory:/ { print $2 }'; }

# hashes PREFIX N: HSET PREFIX:0000001 field01 v0000001 ... field10 v0000001, as RESP.
hashes() {
  awk -v p="$1" -v n="$2" 'BEGIN {
    for (i = 1; i <= n; i++) {
      printf "*22\r\n$4\r\nHSET\r\n$12\r\n%s:%07d\r\n", p, i
      for (f = 1; f <= 10; f++) printf "$7\r\nfield%02d\r\n$8\r\nv%07d\r\n", f, i
    }
  }'
}
hashes hash "$HASHES" >"$WORK/hashes.resp"
# 50k hashes of warm-up, not 5k: after 5k Cinnabar's runtime still grew by 4-6 MB of native memory (not its heap,
# which grew by exactly the hashes' 231 bytes each) during the first large load, once; that read as 40-60 bytes
# of each of 100k hashes. After 50k, repeated runs agree. Redis's figure is the same either way.
hashes wrm1 50000 >"$WORK/hashes.resp.warm"

# stream KEY N: XADD KEY 1-0 f1 v0000001 f2 v0000001 f3 v0000001 ... as RESP.
stream() {
  awk -v k="$1" -v n="$2" 'BEGIN {
    for (i = 1; i <= n; i++) {
      id = i "-0"
      printf "*9\r\n$4\r\nXADD\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, length(id), id
      for (f = 1; f <= 3; f++) printf "$2\r\nf%d\r\n$8\r\nv%07d\r\n", f, i
    }
  }'
}
stream stream "$STREAM_ENTRIES" >"$WORK/stream.resp"
# The stream's warm-up is larger: after 20k entries Cinnabar's runtime was still settling (its native heap, a
# glibc arena the JIT allocates from among others, grew by 3.8 MB during the first large load and stayed), which
# added 5 bytes to each of 1M entries; after 200k entries repeated runs agree. Redis's figure is the same either way.
stream wrmstream 200000 >"$WORK/stream.resp.warm"

# zset KEY N: ZADD KEY i member:%09d (16-byte members), as RESP, in batches of 100 members per ZADD.
zset() {
  awk -v k="$1" -v n="$2" 'BEGIN {
    for (i = 1; i <= n; i += 100) {
      m = (n - i + 1 < 100) ? n - i + 1 : 100
      printf "*%d\r\n$4\r\nZADD\r\n$%d\r\n%s\r\n", 2 + 2 * m, length(k), k
      for (j = i; j < i + m; j++) printf "$%d\r\n%d\r\n$16\r\nmember:%09d\r\n", length(j ""), j, j
    }
  }'
}
zset zset "$ZSET_MEMBERS" >"$WORK/zset.resp"
zset wrmzset 20000 >"$WORK/zset.resp.warm"

# lists PREFIX N: RPUSH PREFIX:%07d item-000 .. item-009 (one command a list) as RESP.
lists() {
  awk -v p="$1" -v n="$2" 'BEGIN {
    for (i = 1; i <= n; i++) {
      printf "*12\r\n$5\r\nRPUSH\r\n$%d\r\n%s:%07d\r\n", length(p) + 8, p, i
      for (j = 0; j < 10; j++) printf "$8\r\nitem-%03d\r\n", j
    }
  }'
}
lists list "$LISTS" >"$WORK/lists.resp"
lists wrmlist 20000 >"$WORK/lists.resp.warm"

# ttl PREFIX N: SET PREFIX:0000000001 val:000000000001 EX 86400 ... as RESP.
ttl() {
  awk -v p="$1" -v n="$2" 'BEGIN {
    for (i = 1; i <= n; i++) printf "*5\r\n$3\r\nSET\r\n$14\r\n%s:%010d\r\n$16\r\nval:%012d\r\n$2\r\nEX\r\n$5\r\n86400\r\n", p, i, i
  }'
}
ttl ttl "$KEYS" >"$WORK/ttl.resp"
ttl wrm 20000 >"$WORK/ttl.resp.warm"

# measure KIND FILE REPLIES: starts the server, loads FILE (REPLIES replies), sets M="rss_before rss_after used_before used_after" (kB, bytes).
# Runs in this shell (not a subshell), so the EXIT trap knows every PID it started.
measure() {
  local kind=$1 file=$2 count=$3 port pid rss0 rss1 used0 used1 result
  port=$(free_port)
  start_server "$kind" "$port" "$WORK/$kind-$(basename "$file").log"
  pid=$SERVER_PID
  # Warm-up: the same kind of data under other key names, kept (not flushed, so no allocator holds freed
  # pages), so that code compiled on first use and tiered up (the JIT's code heap) and buffers sized at
  # first use are in the baseline, and the growth measured is the data's alone. Same for both servers.
  redis-cli -p "$port" --pipe <"$file.warm" >/dev/null 2>&1
  sleep "$SETTLE"
  rss0=$(rss_kb "$pid")
  used0=$(used_memory "$port")
  result=$(redis-cli -p "$port" --pipe <"$file" 2>&1 | tail -n 1)
  echo "$kind: $result" >&2
  if [ "$result" != "errors: 0, replies: $count" ]; then
    echo "$kind: loading failed: $result" >&2
    return 1
  fi
  sleep "$SETTLE"
  rss1=$(rss_kb "$pid")
  used1=$(used_memory "$port")
  stop_server "$pid"
  M="$rss0 $rss1 ${used0:-none} ${used1:-none}"
}

per_key() { # per_key BEFORE AFTER SCALE COUNT -> bytes per key, or "-" when the server gave no number
  if [ "$1" = none ] || [ "$2" = none ] || [ -z "$1" ] || [ -z "$2" ]; then echo "-"; return; fi
  awk -v a="$1" -v b="$2" -v s="$3" -v n="$4" 'BEGIN { printf "%.1f", (b - a) * s / n }'
}
ratio() { if [ "$1" = - ] || [ "$2" = - ]; then echo "-"; else awk -v c="$2" -v r="$1" 'BEGIN { printf "%.2f", c / r }'; fi; }

# report TITLE FILE COUNT [REPLIES]: measures both servers on one data set of COUNT keys (or members) loaded
# by REPLIES commands (default COUNT) and prints its table.
report() {
  local title=$1 file=$2 count=$3 replies=${4:-$3}
  measure redis "$file" "$replies"
  read -r r_rss0 r_rss1 r_used0 r_used1 <<<"$M"
  measure cinnabar "$file" "$replies"
  read -r c_rss0 c_rss1 c_used0 c_used1 <<<"$M"
  local r_rss c_rss r_used c_used
  r_rss=$(per_key "$r_rss0" "$r_rss1" 1024 "$count")
  c_rss=$(per_key "$c_rss0" "$c_rss1" 1024 "$count")
  r_used=$(per_key "$r_used0" "$r_used1" 1 "$count")
  c_used=$(per_key "$c_used0" "$c_used1" 1 "$count")
  echo "| $title | redis | cinnabar | cinnabar / redis |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| RSS growth per key (bytes) | $r_rss | $c_rss | $(ratio "$r_rss" "$c_rss") |"
  echo "| used_memory growth per key (bytes) | $r_used | $c_used | $(ratio "$r_used" "$c_used") |"
  echo "| RSS after load (MiB) | $((r_rss1 / 1024)) | $((c_rss1 / 1024)) | $(ratio "$r_rss1" "$c_rss1") |"
  echo
}

report "$KEYS keys, 14-byte key, 16-byte value" "$WORK/load.resp" "$KEYS"
report "$HASHES hashes of 10 fields (7-byte names, 8-byte values)" "$WORK/hashes.resp" "$HASHES"
report "1 stream of $STREAM_ENTRIES entries of 3 fields (2-byte names, 8-byte values), per entry" "$WORK/stream.resp" "$STREAM_ENTRIES"
report "1 sorted set of $ZSET_MEMBERS members (16-byte members, integer scores), per member" "$WORK/zset.resp" "$ZSET_MEMBERS" \
  $(((ZSET_MEMBERS + 99) / 100))
report "$LISTS lists of 10 items (8-byte items)" "$WORK/lists.resp" "$LISTS"
report "$KEYS keys with a 1-day TTL (SET ... EX), 14-byte key, 16-byte value" "$WORK/ttl.resp" "$KEYS"
if [ "$BIG_KEYS" -gt 0 ]; then
  strings big "$BIG_KEYS" >"$WORK/big.resp"
  cp "$WORK/load.resp.warm" "$WORK/big.resp.warm"
  report "$BIG_KEYS keys, 14-byte key, 16-byte value" "$WORK/big.resp" "$BIG_KEYS"
fi
