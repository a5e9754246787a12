#!/usr/bin/env bash
# A short redis-benchmark smoke run (SET, GET, INCR, MSET; 50 clients; with a password): every test must
# report a nonzero rate, no error reply may appear, and the keys it wrote must hold what it wrote.
# Env: REDIS_PORT, REDIS_PASSWORD. Closing line "benchmark: N passed, M failed".
set -uo pipefail
PORT=${REDIS_PORT:?REDIS_PORT is required}
PASSWORD=${REDIS_PASSWORD:-}
HOST=${REDIS_HOST:-127.0.0.1}
REQUESTS=2000
AUTH=()
[ -n "$PASSWORD" ] && AUTH=(-a "$PASSWORD")
CLI=(redis-cli -h "$HOST" -p "$PORT" "${AUTH[@]}" --no-auth-warning)

passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

"${CLI[@]}" flushall >/dev/null 2>&1
# -q rewrites its progress line with \r; keep only the final lines.
out=$(timeout 120 redis-benchmark -h "$HOST" -p "$PORT" "${AUTH[@]}" -n "$REQUESTS" -t set,get,incr,mset -q 2>&1 | tr '\r' '\n')
rc=$?
echo "$out" | grep 'requests per second'
[ "$rc" -eq 0 ] && ok || fail "redis-benchmark exited $rc"

if echo "$out" | grep -qiE 'error|NOAUTH|WRONGPASS'; then
  fail "error replies: $(echo "$out" | grep -iE 'error|NOAUTH|WRONGPASS' | head -3)"
else
  ok
fi

for test in 'SET' 'GET' 'INCR' 'MSET (10 keys)'; do
  rps=$(echo "$out" | grep -F "$test: " | grep 'requests per second' | sed -E 's/.*: ([0-9.]+) requests per second.*/\1/' | tail -n 1)
  if [ -n "$rps" ] && awk -v r="$rps" 'BEGIN { exit !(r > 0) }'; then ok; else fail "$test: no nonzero requests-per-second line"; fi
done

# What the benchmark wrote: SET/MSET store 3-byte values (-d 3) under literal key names, INCR counts every request.
[ "$("${CLI[@]}" strlen key:__rand_int__ 2>&1)" = "3" ] && ok || fail "key:__rand_int__ does not hold a 3-byte value"
[ "$("${CLI[@]}" get counter:__rand_int__ 2>&1)" = "$REQUESTS" ] && ok || fail "counter:__rand_int__ is not $REQUESTS"
[ "$("${CLI[@]}" ping 2>&1)" = "PONG" ] && ok || fail "server does not answer PING after the run"

echo "benchmark: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
