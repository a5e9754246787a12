#!/usr/bin/env bash
# The cache pattern (Redis as a cache): maxmemory 100mb with allkeys-lru takes a write load 5x larger with no
# error, keeps used_memory within 5% of maxmemory and RSS within 1.3x maxmemory plus the empty server's RSS,
# and a key read every second survives; with noeviction the same load gets OOM errors and reads still work.
# The checks are in cache_pattern.py. Usage: tests/ops/cache_pattern.sh
# Env: CACHE_TARGET=cinnabar|redis (redis checks the script against redis-server), CACHE_MAXMEMORY (default 100mb
# in bytes), INTEROP_SKIP_BUILD=1. Last line: "cache: N passed, M failed".
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/../interop/lib.sh"
TARGET=${CACHE_TARGET:-cinnabar}
MAXMEMORY=${CACHE_MAXMEMORY:-104857600}
WORK=$(mktemp -d)
trap 'stop_all_servers; rm -rf "$WORK"' EXIT

if [ "$TARGET" = cinnabar ] && [ "${INTEROP_SKIP_BUILD:-0}" != 1 ]; then build_cinnabar || { echo "cache: 0 passed, 1 failed"; exit 1; }; fi
"$PY" -c 'import redis' 2>/dev/null || { echo "cache: skipped (python3-redis missing)"; echo "cache: 0 passed, 0 failed, 1 skipped"; exit 0; }

pass=0
fail=0
for policy in allkeys-lru noeviction; do
  if ! start_server "$TARGET" 0 "$WORK/$policy.log" --maxmemory "$MAXMEMORY" --maxmemory-policy "$policy"; then
    fail=$((fail + 1))
    continue
  fi
  empty_rss=$(redis-cli -p "$SERVER_PORT" info memory | tr -d '\r' | awk -F: '/^used_memory_rss:/ { print $2 }')
  # Redis keeps RSS within 1.3 x maxmemory + its empty RSS, and so must Cinnabar: an evicted key's record slot is
  # reused by the next record of its size class (docs/ARCHITECTURE.md, Memory).
  factor=1.3
  out=$("$PY" "$HERE/cache_pattern.py" "$SERVER_PORT" "$policy" "$MAXMEMORY" "$empty_rss" "$factor" 2>&1)
  echo "$out"
  p=$(echo "$out" | grep -c '^check .* ok ')
  f=$(echo "$out" | grep -c '^check .* FAIL ')
  [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && f=1
  pass=$((pass + p)) fail=$((fail + f))
  stop_server "$SERVER_PID"
done
echo "cache: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
