#!/usr/bin/env bash
# Pub/sub load against Cinnabar and Debian's redis-server in the same run: 1,000 subscribers on 100
# channels (a tenth through patterns), 50 publishers, 1,000,000 messages, one subscriber that never reads.
# Every message must reach every matching subscriber in per-publisher order, and the slow subscriber must be
# disconnected by the pubsub output-buffer limit. Prints deliveries per second for both and the ratio.
# Knobs: MESSAGES, SUBSCRIBERS, CHANNELS, PUBLISHERS, PAYLOAD.
set -euo pipefail
cd "$(dirname "$0")/.."
MESSAGES=${MESSAGES:-1000000}; SUBSCRIBERS=${SUBSCRIBERS:-1000}; CHANNELS=${CHANNELS:-100}
PUBLISHERS=${PUBLISHERS:-50}; PAYLOAD=${PAYLOAD:-64}
# A limit the non-reading subscriber reaches within the run on both servers.
LIMIT="pubsub 1mb 512kb 5"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
dotnet build -c Release src/Cinnabar.Server >/dev/null
dotnet build -c Release bench/PubSubLoad >/dev/null
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

rport=$(free_port)
redis-server --port "$rport" --save "" --appendonly no --maxclients 20000 --loglevel warning >/dev/null 2>&1 & pids+=($!)
cport=$(free_port)
dotnet src/Cinnabar.Server/bin/Release/net10.0/cinnabar-server.dll --port "$cport" --save "" --appendonly no --maxclients 20000 >/dev/null 2>&1 & pids+=($!)
for p in "$rport" "$cport"; do
  for _ in $(seq 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$p" config set client-output-buffer-limit "$LIMIT" >/dev/null
done

run() { dotnet bench/PubSubLoad/bin/Release/net10.0/PubSubLoad.dll "$1" "$SUBSCRIBERS" "$CHANNELS" "$PUBLISHERS" "$MESSAGES" "$PAYLOAD"; }
status=0
rout=$(run "$rport") || status=1; echo "redis:    $rout"
cout=$(run "$cport") || status=1; echo "cinnabar: $cout"
r=$(sed -n 's/.*deliveries_per_sec=\([0-9]*\).*/\1/p' <<<"$rout")
c=$(sed -n 's/.*deliveries_per_sec=\([0-9]*\).*/\1/p' <<<"$cout")
python3 -c "print(f'deliveries/s  redis={$r}  cinnabar={$c}  ratio={$c/$r:.2f}')"
exit $status
