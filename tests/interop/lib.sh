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

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_server KIND PORT LOGFILE [extra args...]  (KIND is cinnabar or redis); sets SERVER_PID.
start_server() {
  local kind=$1 port=$2 log=$3
  shift 3
  case "$kind" in
    cinnabar)
      [ -f "$CINNABAR_DLL" ] || { echo "missing $CINNABAR_DLL: build first" >&2; return 1; }
      dotnet "$CINNABAR_DLL" --port "$port" --bind 127.0.0.1 "$@" >"$log" 2>&1 &
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
