#!/usr/bin/env bash
# Throughput and latency of Cinnabar beside Debian's redis-server, measured by redis-benchmark on loopback.
# Builds Release, starts both servers on free ports, runs each test at each pipeline depth against both
# (alternating which goes first), and prints a markdown table. Both servers are stopped by PID at the end.
# Env knobs: N (requests per run, default 200000),
#            TESTS (default "set,get,incr,mset,lpush,lpop,sadd,hset,zadd,zrange100,pfadd,pfcount,geosearch,xadd,xrange10,
#            evalsha,tokenbucket";
#            zrange100 is "ZRANGE zbench 0 99" on a sorted set of 100 members; pfadd adds random elements
#            to one HLL; pfcount counts the union of two dense HLLs (the estimate is computed every call);
#            geosearch is a 10 km radius search, nearest first, over 100k points spread over ~670×670 km
#            around Berlin (about 70 matches); the data is loaded into both servers first; xadd appends
#            entries of 3 small fields with generated IDs; xrange10 reads 10 entries from the middle of a
#            100k-entry stream; evalsha runs a script of one redis.call (INCR) by its SHA; tokenbucket runs
#            the token bucket script (HMGET, math.min, HMSET, EXPIRE with math.ceil) by its SHA over 10k buckets),
#            PIPELINES (default "1 16"), CLIENTS (default 50), RUNS (runs per cell; default 1),
#            KEEP (which of a cell's RUNS is shown: best, the highest rps, or median; default best),
#            BASELINE_DLL (a cinnabar-server.dll built from an earlier commit: measured as a third server in the
#            same rounds, so a before/after comparison does not depend on two runs' different machine noise).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/../tests/interop/lib.sh"

N=${N:-200000}
TESTS=${TESTS:-set,get,incr,mset,lpush,lpop,sadd,hset,zadd,zrange100,pfadd,pfcount,geosearch,xadd,xrange10,evalsha,tokenbucket}
ONE_CALL_SCRIPT="return redis.call('INCR', KEYS[1])"
TOKEN_BUCKET_SCRIPT="local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local capacity, rate, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tokens = math.min(capacity, (tonumber(state[1]) or capacity) + (now - (tonumber(state[2]) or now)) * rate)
local allowed = 0
if tokens >= 1 then tokens = tokens - 1; allowed = 1 end
redis.call('HMSET', KEYS[1], 'tokens', tokens, 'ts', now)
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate))
return allowed"
PIPELINES=${PIPELINES:-1 16}
CLIENTS=${CLIENTS:-50}
RUNS=${RUNS:-1}
KEEP=${KEEP:-best}
case "$KEEP" in best | median) ;; *) echo "KEEP must be best or median" >&2; exit 2 ;; esac
LOGDIR=$(mktemp -d)
trap 'stop_all_servers; rm -rf "$LOGDIR"' EXIT

echo "building Release..." >&2
build_cinnabar
redis_port=$(free_port)
start_server redis "$redis_port" "$LOGDIR/redis.log"
redis_pid=$SERVER_PID
cinnabar_port=$(free_port)
start_server cinnabar "$cinnabar_port" "$LOGDIR/cinnabar.log"
cinnabar_pid=$SERVER_PID
echo "redis-server pid $redis_pid on $redis_port, cinnabar pid $cinnabar_pid on $cinnabar_port" >&2
ports=("$redis_port" "$cinnabar_port")
if [ -n "${BASELINE_DLL:-}" ]; then
  baseline_port=$(free_port)
  CINNABAR_DLL="$BASELINE_DLL" start_server cinnabar "$baseline_port" "$LOGDIR/baseline.log"
  echo "baseline pid $SERVER_PID on $baseline_port ($BASELINE_DLL)" >&2
  ports+=("$baseline_port")
fi

# run_one PORT TEST P: prints "rps p50 p99" from redis-benchmark's CSV, or "error" when it failed.
run_one() {
  local port=$1 test=$2 pipeline=$3 out
  local what=(-t "$test")
  case "$test" in
    zrange100)
      # redis-benchmark has no ZRANGE test: a custom command over a 100-member sorted set.
      redis-cli -p "$port" del zbench >/dev/null
      redis-cli -p "$port" zadd zbench $(seq 1 100 | awk '{ printf "%d member:%03d ", $1, $1 }') >/dev/null
      what=(zrange zbench 0 99) ;;
    pfadd)
      redis-cli -p "$port" del hllbench >/dev/null
      what=(-r 100000000 pfadd hllbench element:__rand_int__) ;;
    pfcount)
      redis-cli -p "$port" del hllc1 hllc2 >/dev/null
      redis-cli -p "$port" pfadd hllc1 $(seq 1 20000) >/dev/null
      redis-cli -p "$port" pfadd hllc2 $(seq 10000 30000) >/dev/null
      what=(pfcount hllc1 hllc2) ;;
    geosearch)
      load_geo_points "$port"
      what=(geosearch geobench fromlonlat 13.4 52.5 byradius 10 km asc) ;;
    xadd)
      redis-cli -p "$port" del xbench >/dev/null
      what=(xadd xbench '*' name alice city berlin n 42) ;;
    xrange10)
      load_stream "$port"
      what=(xrange xrbench 50000 + count 10) ;;
    evalsha)
      what=(evalsha "$(redis-cli -p "$port" script load "$ONE_CALL_SCRIPT")" 1 counter:bench) ;;
    tokenbucket)
      # The clock advances by the request's random number, so buckets refill and drain as under real load.
      what=(-r 10000 evalsha "$(redis-cli -p "$port" script load "$TOKEN_BUCKET_SCRIPT")" 1 bucket:__rand_int__ 100 10 __rand_int__) ;;
  esac
  if ! out=$(redis-benchmark -h 127.0.0.1 -p "$port" -c "$CLIENTS" -n "$N" -P "$pipeline" --csv "${what[@]}" 2>&1); then
    echo "error"
    return
  fi
  # Columns: test, rps, avg, min, p50, p95, p99, max (quoted).
  local row
  row=$(echo "$out" | grep -v '^"test"' | grep '^"' | tail -n 1 | tr -d '"')
  if [ -z "$row" ] || echo "$out" | grep -q 'Error from server'; then
    echo "error"
    return
  fi
  echo "$row" | awk -F, '{ printf "%.0f %s %s\n", $2, $5, $7 }'
}

# load_geo_points PORT: 100k members at seeded random positions within ±5° longitude, ±3° latitude of Berlin.
load_geo_points() {
  redis-cli -p "$1" del geobench >/dev/null
  awk 'BEGIN { srand(42); for (i = 0; i < 100000; i++) {
      lon = sprintf("%.6f", 8.4 + rand() * 10); lat = sprintf("%.6f", 49.5 + rand() * 6); m = "m" i;
      printf "*5\r\n$6\r\nGEOADD\r\n$8\r\ngeobench\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n",
        length(lon), lon, length(lat), lat, length(m), m } }' | redis-cli -p "$1" --pipe >/dev/null
}

# load_stream PORT: 100k entries (IDs 1-0 .. 100000-0) of 3 small fields.
load_stream() {
  redis-cli -p "$1" del xrbench >/dev/null
  awk 'BEGIN { for (i = 1; i <= 100000; i++) { id = i "-0"; n = "" i;
      printf "*9\r\n$4\r\nXADD\r\n$7\r\nxrbench\r\n$%d\r\n%s\r\n$4\r\nname\r\n$5\r\nalice\r\n$4\r\ncity\r\n$6\r\nberlin\r\n$1\r\nn\r\n$%d\r\n%s\r\n",
        length(id), id, length(n), n } }' | redis-cli -p "$1" --pipe >/dev/null
}

# pick RESULTS: of a cell's newline-separated "rps p50 p99" results ("error" for a failed run), the one KEEP
# names: the highest rps, or the median by rps (the lower middle of an even count); "error" when all failed.
pick() {
  local sorted
  sorted=$(echo "$1" | grep -v '^error$' | grep . | sort -n -k1,1)
  if [ -z "$sorted" ]; then echo error; return; fi
  if [ "$KEEP" = best ]; then echo "$sorted" | tail -n 1
  else echo "$sorted" | awk '{ row[NR] = $0 } END { print row[int((NR + 1) / 2)] }'; fi
}

header="| test | P | redis rps | cinnabar rps | ratio | redis p50 ms | cinnabar p50 ms | redis p99 ms | cinnabar p99 ms |"
rule="| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
[ ${#ports[@]} -eq 3 ] && header+=" baseline rps | baseline ratio | baseline p99 ms |" rule+=" ---: | ---: | ---: |"
echo "$header"
echo "$rule"
ratio_of() { awk -v c="$1" -v r="$2" 'BEGIN { printf "%.2f", c / r }'; }
round=0
for pipeline in $PIPELINES; do
  for test in ${TESTS//,/ }; do
    results=()
    for i in "${!ports[@]}"; do results[i]=""; done
    for _ in $(seq 1 "$RUNS"); do
      # Rotate which server goes first, so none always gets the warmer machine.
      for k in "${!ports[@]}"; do
        i=$(( (round + k) % ${#ports[@]} ))
        results[i]+="$(run_one "${ports[i]}" "$test" "$pipeline")"$'\n'
      done
      round=$((round + 1))
    done
    best=()
    for i in "${!ports[@]}"; do best[i]=$(pick "${results[i]}"); done
    read -r r_rps r_p50 r_p99 <<<"${best[0]}"
    read -r c_rps c_p50 c_p99 <<<"${best[1]}"
    ratio="-"
    [ "${best[0]}" != error ] && [ "${best[1]}" != error ] && ratio=$(ratio_of "$c_rps" "$r_rps")
    row="| ${test^^} | $pipeline | ${r_rps} | ${c_rps} | $ratio | ${r_p50:--} | ${c_p50:--} | ${r_p99:--} | ${c_p99:--} |"
    if [ ${#ports[@]} -eq 3 ]; then
      read -r b_rps _ b_p99 <<<"${best[2]}"
      b_ratio="-"
      [ "${best[0]}" != error ] && [ "${best[2]}" != error ] && b_ratio=$(ratio_of "$b_rps" "$r_rps")
      row+=" ${b_rps} | $b_ratio | ${b_p99:--} |"
    fi
    echo "$row"
  done
done
echo ""
echo "redis-benchmark -c $CLIENTS -n $N, $KEEP of $RUNS, $(nproc) cores, $(redis-server --version | sed -E 's/.*v=([0-9.]+).*/redis-server \1/'), $(dotnet "$CINNABAR_DLL" --version)"
