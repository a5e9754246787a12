# Shared helpers for the interop and bench scripts: free ports, starting Cinnabar or redis-server on
# loopback, waiting for "Ready to accept connections" in the log, and stopping by PID.
# Sourced, not run. Callers set `trap stop_all_servers EXIT` so nothing is left running.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CINNABAR_DLL="$REPO_ROOT/src/Cinnabar.Server/bin/Release/net10.0/cinnabar-server.dll"
STARTED_PIDS=()

# Debian's python3 has python3-redis; a pyenv shim on PATH may not.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

build_cinnabar() {
  local out
  out=$(mktemp)
  if ! dotnet build "$REPO_ROOT/src/Cinnabar.Server" -c Release -nologo ${DOTNET_BUILD_FLAGS:-} >"$out" 2>&1; then
    cat "$out" >&2
    rm -f "$out"
    return 1
  fi
  rm -f "$out"
}

# A port that was free a moment ago (bench scripts); start_server with port 0 avoids the race altogether.
free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_server KIND PORT LOGFILE [extra args...]  (KIND is cinnabar or redis); sets SERVER_PID and SERVER_PORT.
# PORT 0 takes a port without a race: Cinnabar binds port 0 itself and logs the port it got; redis-server
# cannot listen on port 0, so it gets a port the kernel just handed out and, should another process take it
# first (redis-server then exits with "Address already in use"), another one.
start_server() {
  local kind=$1 port=$2 log=$3 attempt
  shift 3
  if [ "$port" != 0 ] || [ "$kind" = cinnabar ]; then
    start_server_once "$kind" "$port" "$log" "$@"
    return
  fi
  for attempt in 1 2 3 4 5; do
    start_server_once "$kind" "$(free_port)" "$log" "$@" && return 0
    grep -q 'Address already in use' "$log" 2>/dev/null || return 1
    echo "$kind: port taken by another process before it could listen; retrying" >&2
  done
  return 1
}

start_server_once() {
  local kind=$1 port=$2 log=$3
  shift 3
  case "$kind" in
    cinnabar)
      [ -f "$CINNABAR_DLL" ] || { echo "missing $CINNABAR_DLL: build first" >&2; return 1; }
      dotnet "$CINNABAR_DLL" --port "$port" --bind 127.0.0.1 --save '' --appendonly no "$@" >"$log" 2>&1 &
      ;;
    redis)
      redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --logfile '' "$@" >"$log" 2>&1 &
      ;;
    *) echo "unknown server kind '$kind' (cinnabar or redis)" >&2; return 1 ;;
  esac
  SERVER_PID=$!
  STARTED_PIDS+=("$SERVER_PID")
  local waited=0
  until grep -q 'Ready to accept connections' "$log" 2>/dev/null; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "$kind exited before it was ready; log:" >&2
      cat "$log" >&2
      return 1
    fi
    if [ "$waited" -ge 300 ]; then
      echo "$kind not ready after 30s; log:" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  SERVER_PORT=$port
  if [ "$kind" = cinnabar ]; then
    # The port it listens on, as it logged it ("Running mode=standalone, port=N.").
    SERVER_PORT=$(sed -nE 's/.*Running mode=standalone, port=([0-9]+)\..*/\1/p' "$log" | head -n 1)
    [ -n "$SERVER_PORT" ] || { echo "cinnabar did not log its port; log:" >&2; cat "$log" >&2; return 1; }
  fi
}

stop_server() {
  local pid=$1
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

stop_all_servers() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do stop_server "$pid"; done
  STARTED_PIDS=()
}
