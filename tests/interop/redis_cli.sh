#!/usr/bin/env bash
# Drives a running server with redis-cli as people and scripts do: -p, -a (with and without
# --no-auth-warning), one-shot commands, commands piped on stdin, --no-raw formatting, -n, -r, -x,
# --scan, --pipe mass insert and info. Expected texts are what redis-cli prints against real Redis.
# Env: REDIS_PORT, REDIS_PASSWORD (REDIS_HOST is 127.0.0.1). Closing line "redis-cli: N passed, M failed".
set -uo pipefail
PORT=${REDIS_PORT:?REDIS_PORT is required}
PASSWORD=${REDIS_PASSWORD:-}
HOST=${REDIS_HOST:-127.0.0.1}
CLI=(redis-cli -h "$HOST" -p "$PORT")
[ -n "$PASSWORD" ] && CLI+=(-a "$PASSWORD" --no-auth-warning)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0

# expect NAME EXPECTED ACTUAL
expect() {
  if [ "$2" == "$3" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    printf 'FAIL %s\n--- expected\n%s\n--- actual\n%s\n---\n' "$1" "$2" "$3"
  fi
}

# expect_contains NAME NEEDLE HAYSTACK
expect_contains() {
  if [[ "$3" == *"$2"* ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    printf 'FAIL %s: %q not found in:\n%s\n---\n' "$1" "$2" "$3"
  fi
}

cli() { timeout 30 "${CLI[@]}" "$@" 2>&1; }

expect "flushall" "OK" "$(cli flushall)"
expect "ping" "PONG" "$(cli ping)"

if [ -n "$PASSWORD" ]; then
  expect "no password: NOAUTH" "NOAUTH Authentication required." \
    "$(timeout 30 redis-cli -h "$HOST" -p "$PORT" ping 2>&1 | sed '/^$/d')"

  expect_contains "wrong password: AUTH failed" "AUTH failed: WRONGPASS invalid username-password pair or user is disabled." \
    "$(timeout 30 redis-cli -h "$HOST" -p "$PORT" -a wrong-password --no-auth-warning ping 2>&1)"

  expect "-a without --no-auth-warning warns on stderr" \
    "Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe.|PONG" \
    "$(timeout 30 redis-cli -h "$HOST" -p "$PORT" -a "$PASSWORD" ping 2>&1 | paste -sd'|')"
fi

expect "commands piped on stdin" "OK|2|2||ERR wrong number of arguments for 'incr' command||2|" \
  "$(printf 'SET a 1\nINCR a\nGET a\nGET nope\nINCR\nMGET a nope\n' | cli | paste -sd'|')"

expect "--no-raw integer" "(integer) 1" "$(cli --no-raw incr n)"
expect "--no-raw nil" "(nil)" "$(cli --no-raw get nope)"
expect "--no-raw array with nil" '1) "2"|2) (nil)|3) "1"' "$(cli --no-raw mget a nope n | paste -sd'|')"
expect "--no-raw error" "(error) ERR value is not an integer or out of range" "$(cli set s x >/dev/null; cli --no-raw incr s)"
expect "--no-raw quoted bulk" '"a b"' "$(cli --no-raw echo 'a b')"
expect "--no-raw exists counts" "(integer) 2" "$(cli --no-raw exists a n)"

expect "-r repeats a command" "1|2|3" "$(cli -r 3 incr repeated | paste -sd'|')"
expect "-x reads the last argument from stdin" "OK|hello world" \
  "$({ printf 'hello world' | cli -x set blob; cli get blob; } | paste -sd'|')"

expect "-n selects a database" "OK|v3||1" \
  "$({ cli -n 3 set only3 v3; cli -n 3 get only3; cli get only3; cli -n 3 dbsize; } | paste -sd'|')"

expect "expiry through the cli" "OK|1|100|1|-1" \
  "$({ cli set ttlkey v; cli expire ttlkey 100; cli ttl ttlkey; cli persist ttlkey; cli ttl ttlkey; } | paste -sd'|')"

expect "type and del" "string|1|none" "$({ cli type blob; cli del blob; cli type blob; } | paste -sd'|')"

# 300 keys through --pipe (RESP on stdin, as mass insertion is documented).
: >"$TMP/mass.resp"
for i in $(seq 1 300); do
  key="user:$i"
  printf '*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$1\r\nv\r\n' "${#key}" "$key" >>"$TMP/mass.resp"
done
expect "--pipe mass insert" "errors: 0, replies: 300" \
  "$(cli --pipe <"$TMP/mass.resp" | tail -n 1)"

expect "--scan --pattern sees every key once" "$(seq 1 300 | sed 's/^/user:/' | sort)" \
  "$(cli --scan --pattern 'user:*' | sort)"
expect "--scan with a narrower pattern" "$(seq 1 300 | sed 's/^/user:/' | grep '^user:1' | sort)" \
  "$(cli --scan --pattern 'user:1*' | sort)"
expect "keys pattern" "$(seq 100 109 | sed 's/^/user:/')" "$(cli keys 'user:10?' | sort)"

info=$(cli info)
expect_contains "info has # Server" "# Server"$'\r' "$info"
expect_contains "info has redis_version" "redis_version:" "$info"
expect_contains "info has tcp_port" "tcp_port:$PORT"$'\r' "$info"
expect_contains "info has # Keyspace" "# Keyspace" "$info"
expect_contains "info keyspace db0" "db0:keys=" "$(cli info keyspace)"
expect_contains "info keyspace db3" "db3:keys=1,expires=0,avg_ttl=0" "$(cli info keyspace)"
expect "dbsize" "$((300 + 5))" "$(cli dbsize)"

echo "redis-cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
