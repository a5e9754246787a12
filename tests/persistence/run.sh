#!/usr/bin/env bash
# The persistence suite: the append-only file of a real server process.
#  - crash trials: kill -9 under a write load from several clients, then a restart on the same directory:
#    with appendfsync always no acknowledged write is lost (20 trials), with everysec at most about a second;
#    every restart loads;
#  - a torn tail: refused with aof-load-truncated no, cut with Redis's warnings with yes;
#  - interop with Debian's redis-server 7.0: its AOF directory (every type, TTLs, 16 databases, streams with
#    groups, functions, MULTI/EXEC, scripts) loads in Cinnabar with the same DEBUG DIGEST, and Cinnabar's
#    passes redis-check-aof and loads in redis-server with the same digest;
#  - a rewrite without the RDB preamble while clients write: nothing lost or doubled after a restart, in
#    Cinnabar and in redis-server, and redis-check-aof passes;
#  - MIGRATE between redis-server and Cinnabar in both directions (migrate.py).
# Usage: tests/persistence/run.sh   Env: INTEROP_SKIP_BUILD=1 to use the existing build.
# Last line: "persistence: N passed, M failed[, K skipped]".
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/../interop/lib.sh"
WORK=$(mktemp -d)
cleanup() {
  stop_all_servers
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ "${INTEROP_SKIP_BUILD:-0}" != 1 ]; then build_cinnabar || { echo "persistence: 0 passed, 1 failed"; exit 1; }; fi

pass=0
fail=0
skip=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1${2:+: $2}"; }
skipped() {
  if [ "${CINNABAR_REQUIRE_ORACLE:-0}" = 1 ]; then bad "$1" "missing: $2"; else skip=$((skip + 1)); echo "skip $1 (missing: $2)"; fi
}
expect() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "got '$2', expected '$3'"; fi; }
expect_log() { if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1" "no line '$3' in log"; sed 's/^/    /' "$2" | tail -n 15; fi; }

# crash POLICY TRIALS: counts crash.py's ok/FAIL lines.
crash() {
  local dir="$WORK/crash-$1/data" out="$WORK/crash-$1.out"
  mkdir -p "$dir"
  "$PY" "$HERE/crash.py" "[\"dotnet\", \"$CINNABAR_DLL\", \"--port\", \"0\", \"--bind\", \"127.0.0.1\"]" "$dir" "$1" "$2" | tee "$out"
  pass=$((pass + $(grep -c '^ok ' "$out")))
  fail=$((fail + $(grep -c '^FAIL ' "$out")))
  if ! grep -q "trial $2:" "$out"; then bad "$1: all $2 trials ran"; fi
}
crash always 20
crash everysec 5

# ---- a torn tail --------------------------------------------------------------------------------
torn="$WORK/torn"
mkdir -p "$torn"
if start_server cinnabar 0 "$WORK/torn-1.log" --dir "$torn" --appendonly yes; then
  redis-cli -p "$SERVER_PORT" set kept 1 >/dev/null
  redis-cli -p "$SERVER_PORT" set kept2 2 >/dev/null
  stop_server "$SERVER_PID"
  incr="$torn/appendonlydir/appendonly.aof.1.incr.aof"
  good_size=$(stat -c %s "$incr")
  printf '*3\r\n$3\r\nSET\r\n$4\r\ntorn\r\n$5\r\n12' >>"$incr"
  dotnet "$CINNABAR_DLL" --port 0 --bind 127.0.0.1 --dir "$torn" --appendonly yes --aof-load-truncated no >"$WORK/torn-2.log" 2>&1
  expect "aof-load-truncated no: a torn tail stops the start (exit 1)" "$?" 1
  expect_log "aof-load-truncated no: the log names the file and offset" "$WORK/torn-2.log" \
    "Unexpected end of file reading the append only file appendonly.aof.1.incr.aof at offset $good_size."
  if start_server cinnabar 0 "$WORK/torn-3.log" --dir "$torn" --appendonly yes --aof-load-truncated yes; then
    expect_log "aof-load-truncated yes: Redis's warning" "$WORK/torn-3.log" "!!! Truncating the AOF appendonly.aof.1.incr.aof at offset $good_size !!!"
    expect "aof-load-truncated yes: what precedes the torn command is loaded" "$(redis-cli -p "$SERVER_PORT" mget kept kept2 torn | tr '\n' ' ')" "1 2  "
    stop_server "$SERVER_PID"
    if command -v redis-check-aof >/dev/null; then
      expect "the cut directory passes redis-check-aof" "$(redis-check-aof "$torn/appendonlydir/appendonly.aof.manifest" | tail -n 1)" "All AOF files and manifest are valid"
    fi
  else
    bad "aof-load-truncated yes: the server starts"
  fi
else
  bad "torn tail: the first server starts"
fi

# ---- interop with redis-server -------------------------------------------------------------------
if ! command -v redis-server >/dev/null || ! command -v redis-check-aof >/dev/null; then
  skipped "interop with redis-server" "redis-server / redis-check-aof"
else
  # wait_rewrite PORT: until no AOF rewrite runs or waits to run (10 s at most).
  wait_rewrite() {
    for _ in $(seq 1 100); do
      redis-cli -p "$1" info persistence | grep -q 'aof_rewrite_in_progress:0' \
        && redis-cli -p "$1" info persistence | grep -q 'aof_rewrite_scheduled:0' && return
      sleep 0.1
    done
  }
  # state PORT: every database's digest, key counts and the function libraries.
  state() { "$PY" "$HERE/workload.py" "$1" --state; }
  # expect_loads KIND DIR LOG WHAT EXPECTED: KIND started on the AOF directory in DIR reaches the state EXPECTED.
  expect_loads() {
    if start_server "$1" 0 "$3" --dir "$2" --appendonly yes --enable-debug-command yes; then
      expect "$4" "$(state "$SERVER_PORT")" "$5"
      stop_server "$SERVER_PID"
    else
      bad "$1 starts: $4"
    fi
  }

  # Redis -> Cinnabar, for each base format Redis writes.
  for preamble in yes no; do
    from="$WORK/redis-$preamble" to="$WORK/cinnabar-from-redis-$preamble"
    mkdir -p "$from" "$to"
    if start_server redis 0 "$WORK/redis-$preamble.log" --dir "$from" --appendonly yes --aof-use-rdb-preamble "$preamble" --enable-debug-command yes; then
      "$PY" "$HERE/workload.py" "$SERVER_PORT"
      # A rewrite moves everything into the base (RDB, or commands rebuilding each key), then more writes
      # go to the new incremental file.
      redis-cli -p "$SERVER_PORT" bgrewriteaof >/dev/null
      wait_rewrite "$SERVER_PORT"
      redis-cli -p "$SERVER_PORT" rpush after-rewrite a b >/dev/null
      expected=$(state "$SERVER_PORT")
      stop_server "$SERVER_PID"
      expect "redis-server rewrote its AOF (aof-use-rdb-preamble $preamble)" "$(grep -c "type b" "$from/appendonlydir/appendonly.aof.manifest")/$(ls "$from/appendonlydir" | grep -c "\.2\.base\.")" "1/1"
      cp -r "$from/appendonlydir" "$to/"
      expect_loads cinnabar "$to" "$WORK/cinnabar-from-redis-$preamble.log" \
        "redis-server's AOF directory (aof-use-rdb-preamble $preamble) loads with the same digest, keys and functions" "$expected"
    else
      bad "redis-server starts with appendonly yes"
    fi
  done

  # Cinnabar -> Redis, for each base format a rewrite writes.
  for preamble in yes no; do
    from="$WORK/cinnabar-$preamble" to="$WORK/redis-from-cinnabar-$preamble"
    mkdir -p "$from" "$to"
    if start_server cinnabar 0 "$WORK/cinnabar-$preamble.log" --dir "$from" --appendonly yes --aof-use-rdb-preamble "$preamble" --enable-debug-command yes; then
      "$PY" "$HERE/workload.py" "$SERVER_PORT"
      # A rewrite first: the base holds the data set, more writes follow in the new incremental file.
      expect "BGREWRITEAOF starts (aof-use-rdb-preamble $preamble)" "$(redis-cli -p "$SERVER_PORT" bgrewriteaof)" "Background append only file rewriting started"
      wait_rewrite "$SERVER_PORT"
      expect "the rewrite succeeded (aof-use-rdb-preamble $preamble)" "$(redis-cli -p "$SERVER_PORT" info persistence | grep -o 'aof_rewrites:[0-9]*')" "aof_rewrites:1"
      redis-cli -p "$SERVER_PORT" rpush after-rewrite a b >/dev/null
      expected=$(state "$SERVER_PORT")
      stop_server "$SERVER_PID"
      expect "Cinnabar's AOF directory passes redis-check-aof (aof-use-rdb-preamble $preamble)" \
        "$(redis-check-aof "$from/appendonlydir/appendonly.aof.manifest" | tail -n 1)" "All AOF files and manifest are valid"
      cp -r "$from/appendonlydir" "$to/"
      expect_loads redis "$to" "$WORK/redis-from-cinnabar-$preamble.log" \
        "Cinnabar's AOF directory (aof-use-rdb-preamble $preamble) loads in redis-server with the same digest, keys and functions" "$expected"
    else
      bad "Cinnabar starts with appendonly yes"
    fi
  done

  # A rewrite without the RDB preamble while clients write: the base is the point-in-time data set in commands,
  # the new incremental file every write after the cut. Nothing is lost or doubled: a restart gives the state
  # the server had, the directory passes redis-check-aof, and redis-server loads it to the same state.
  from="$WORK/cinnabar-rewriting" to="$WORK/redis-from-cinnabar-rewriting"
  mkdir -p "$from" "$to"
  if start_server cinnabar 0 "$WORK/cinnabar-rewriting.log" --dir "$from" --appendonly yes --aof-use-rdb-preamble no --enable-debug-command yes; then
    "$PY" "$HERE/workload.py" "$SERVER_PORT"
    redis-cli -p "$SERVER_PORT" debug populate 200000 key 50 >/dev/null
    out=$("$PY" "$HERE/workload.py" "$SERVER_PORT" --while-rewriting)
    expect "BGREWRITEAOF starts (no preamble, under writes)" "$(echo "$out" | head -n 1)" "started"
    rounds=$(echo "$out" | tail -n 1)
    if [ "${rounds:-0}" -gt 0 ] 2>/dev/null; then ok "clients wrote during the rewrite ($rounds rounds)"; else bad "clients wrote during the rewrite" "rounds: $rounds"; fi
    wait_rewrite "$SERVER_PORT"
    expect "the rewrite under writes succeeded" "$(redis-cli -p "$SERVER_PORT" info persistence | grep -o 'aof_rewrites:[0-9]*\|aof_last_bgrewrite_status:[a-z]*' | tr '\n' ' ')" "aof_last_bgrewrite_status:ok aof_rewrites:1 "
    expected=$(state "$SERVER_PORT")
    stop_server "$SERVER_PID"
    expect "the base written under writes is made of commands" "$(grep -c 'appendonly.aof.2.base.aof seq 2 type b' "$from/appendonlydir/appendonly.aof.manifest")" "1"
    expect "the directory rewritten under writes passes redis-check-aof" \
      "$(redis-check-aof "$from/appendonlydir/appendonly.aof.manifest" | tail -n 1)" "All AOF files and manifest are valid"
    cp -r "$from/appendonlydir" "$to/"
    expect_loads cinnabar "$from" "$WORK/cinnabar-rewriting-2.log" "after a restart Cinnabar has every write made during the rewrite, once" "$expected"
    expect_loads redis "$to" "$WORK/redis-from-cinnabar-rewriting.log" "redis-server loads the directory rewritten under writes to the same state" "$expected"
  else
    bad "Cinnabar starts with aof-use-rdb-preamble no"
  fi

  # MIGRATE in both directions: workload.py's data set moves with AUTH/AUTH2, KEYS, COPY and REPLACE to a target with
  # a password, and arrives with the same digests and times to live (migrate.py's ok/FAIL lines are counted).
  for direction in "redis cinnabar" "cinnabar redis"; do
    read -r from to <<<"$direction"
    if start_server "$from" 0 "$WORK/migrate-$from-source.log" --enable-debug-command yes; then
      source_pid=$SERVER_PID source_port=$SERVER_PORT
      if start_server "$to" 0 "$WORK/migrate-$to-target.log" --enable-debug-command yes --requirepass migrate-secret; then
        out="$WORK/migrate-$from-$to.out"
        "$PY" "$HERE/workload.py" "$source_port"
        "$PY" "$HERE/migrate.py" "$source_port" "$SERVER_PORT" migrate-secret | sed "s/^\(ok  \|FAIL\) /\1 MIGRATE $from -> $to: /" | tee "$out"
        pass=$((pass + $(grep -c '^ok ' "$out")))
        fail=$((fail + $(grep -c '^FAIL ' "$out")))
        grep -q 'the source reports a cached link' "$out" || bad "MIGRATE $from -> $to: migrate.py ran to its end"
        stop_server "$SERVER_PID"
      else
        bad "MIGRATE $from -> $to: the target starts"
      fi
      stop_server "$source_pid"
    else
      bad "MIGRATE $from -> $to: the source starts"
    fi
  done
fi

if [ "$skip" -gt 0 ]; then
  echo "persistence: $pass passed, $fail failed, $skip skipped"
else
  echo "persistence: $pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
