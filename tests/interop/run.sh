#!/usr/bin/env bash
# Runs every interop suite against a real server process driven by real clients: redis-py, ioredis,
# node-redis, redis-cli and redis-benchmark. Each suite gets a fresh server (Release Cinnabar, or real
# Redis with INTEROP_TARGET=redis) on a free loopback port, with a password, stopped by PID afterwards.
# Usage: tests/interop/run.sh [suite...]
#   suites: python python-pubsub python-rate-limiter python-streams ioredis ioredis-pubsub ioredis-streams node-redis redis-cli benchmark
# Env: INTEROP_TARGET=cinnabar|redis (default cinnabar), INTEROP_SKIP_BUILD=1 to use the existing build,
#      INTEROP_PASSWORD (default interop-secret; empty runs the server without a password and skips the
#      password checks).
# Last line: "interop: N passed, M failed".
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/lib.sh"
TARGET=${INTEROP_TARGET:-cinnabar}
SUITES=("$@")
[ ${#SUITES[@]} -gt 0 ] || SUITES=(python python-pubsub python-rate-limiter python-streams ioredis ioredis-pubsub ioredis-streams node-redis redis-cli benchmark)
PASSWORD=${INTEROP_PASSWORD-interop-secret}
LOGDIR=$(mktemp -d)
trap 'stop_all_servers; rm -rf "$LOGDIR"' EXIT

if [ "$TARGET" = cinnabar ] && [ "${INTEROP_SKIP_BUILD:-0}" != 1 ]; then build_cinnabar; fi
if [ ! -d "$HERE/node/node_modules" ] && command -v npm >/dev/null; then
  (cd "$HERE/node" && npm ci --no-audit --no-fund --loglevel=error >&2) || echo "npm ci failed" >&2
fi

# missing_prerequisite SUITE: prints what the suite needs and this machine lacks (.ci/run installs all of it).
missing_prerequisite() {
  local need=()
  [ "$TARGET" = redis ] && ! command -v redis-server >/dev/null && need+=(redis-server)
  case "$1" in
    python*) "$PY" -c 'import redis' 2>/dev/null || need+=(python3-redis) ;;
    ioredis* | node-redis)
      command -v node >/dev/null || need+=(node)
      [ -d "$HERE/node/node_modules" ] || need+=("npm packages (npm ci in tests/interop/node)") ;;
    redis-cli) command -v redis-cli >/dev/null || need+=(redis-cli) ;;
    benchmark)
      command -v redis-benchmark >/dev/null || need+=(redis-benchmark)
      command -v redis-cli >/dev/null || need+=(redis-cli) ;;
  esac
  echo "${need[*]}"
}

total_pass=0
total_fail=0
total_skip=0
for suite in "${SUITES[@]}"; do
  case "$suite" in
    python) cmd=("$PY" "$HERE/python_client.py") ;;
    python-pubsub) cmd=("$PY" "$HERE/python_pubsub.py") ;;
    python-rate-limiter) cmd=("$PY" "$HERE/python_rate_limiter.py") ;;
    python-streams) cmd=("$PY" "$HERE/python_streams.py") ;;
    ioredis) cmd=(node "$HERE/node/ioredis_client.js") ;;
    ioredis-pubsub) cmd=(node "$HERE/node/ioredis_pubsub.js") ;;
    ioredis-streams) cmd=(node "$HERE/node/ioredis_streams.js") ;;
    node-redis) cmd=(node "$HERE/node/node_redis_client.js") ;;
    redis-cli) cmd=(bash "$HERE/redis_cli.sh") ;;
    benchmark) cmd=(bash "$HERE/redis_benchmark.sh") ;;
    *) echo "unknown suite '$suite'" >&2; exit 2 ;;
  esac
  missing=$(missing_prerequisite "$suite")
  if [ -n "$missing" ]; then
    if [ "${CINNABAR_REQUIRE_ORACLE:-0}" = 1 ]; then
      echo "$suite: 0 passed, 1 failed (missing: $missing)"
      total_fail=$((total_fail + 1))
    else
      echo "$suite: skipped (missing: $missing)"
      total_skip=$((total_skip + 1))
    fi
    continue
  fi
  log="$LOGDIR/$suite-server.log"
  auth=()
  [ -n "$PASSWORD" ] && auth=(--requirepass "$PASSWORD")
  if ! start_server "$TARGET" 0 "$log" "${auth[@]}"; then
    total_fail=$((total_fail + 1))
    echo "$suite: 0 passed, 1 failed (server did not start)"
    continue
  fi
  port=$SERVER_PORT
  echo "== $suite against $TARGET on 127.0.0.1:$port"
  out="$LOGDIR/$suite.out"
  set +e
  REDIS_HOST=127.0.0.1 REDIS_PORT=$port REDIS_PASSWORD=$PASSWORD INTEROP_TARGET=$TARGET \
    timeout 300 "${cmd[@]}" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  set -e
  stop_server "$SERVER_PID"
  if [ "$rc" -ne 0 ]; then
    echo "-- last lines of the $TARGET log:"
    tail -n 20 "$log"
  fi
  counts=$(grep -Eo '[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1 || true)
  if [ -z "$counts" ]; then
    echo "$suite: exited $rc without a count line"
    total_fail=$((total_fail + 1))
    continue
  fi
  p=${counts%% passed*}
  f=${counts#*passed, }
  f=${f%% failed*}
  total_pass=$((total_pass + p))
  total_fail=$((total_fail + f))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "$suite: exited $rc with no failed check"
    total_fail=$((total_fail + 1))
  fi
done
if [ "$total_skip" -gt 0 ]; then
  echo "interop: $total_pass passed, $total_fail failed, $total_skip skipped"
else
  echo "interop: $total_pass passed, $total_fail failed"
fi
[ "$total_fail" -eq 0 ]
