# The bench scripts' workloads beyond redis-benchmark's own -t tests, sourced by bench.sh and paired.sh.
# workload PORT TEST prepares the server on PORT for TEST (its data, a loaded script) and sets WORKLOAD to the
# redis-benchmark arguments that run it: zrange100 is "ZRANGE zbench 0 99" on a sorted set of 100 members;
# pfadd adds random elements to one HLL; pfcount counts the union of two dense HLLs (the estimate is computed
# every call); geosearch is a 10 km radius search, nearest first, over 100k points spread over ~670x670 km
# around Berlin (about 70 matches); xadd appends entries of 3 small fields with generated IDs; xrange10 reads
# 10 entries from the middle of a 100k-entry stream; evalsha runs a script of one redis.call (INCR) by its
# SHA; tokenbucket runs the token bucket script (HMGET, math.min, HMSET, EXPIRE with math.ceil) by its SHA
# over 10k buckets; zaddbig, zscorebig and zrankbig update, score and rank random members of a 1M-member sorted
# set (a large keyspace inside one key: every lookup misses the cache). Any other name is a redis-benchmark -t test.

# The scripts' text is in bench/scripts, shared with the micro-benchmarks (bench/micro).
SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/scripts"
ONE_CALL_SCRIPT=$(cat "$SCRIPTS_DIR/one-call.lua")
TOKEN_BUCKET_SCRIPT=$(cat "$SCRIPTS_DIR/token-bucket.lua")

workload() {
  local port=$1 test=$2
  WORKLOAD=(-t "$test")
  case "$test" in
    zrange100)
      # redis-benchmark has no ZRANGE test: a custom command over a 100-member sorted set.
      redis-cli -p "$port" del zbench >/dev/null
      redis-cli -p "$port" zadd zbench $(seq 1 100 | awk '{ printf "%d member:%03d ", $1, $1 }') >/dev/null
      WORKLOAD=(zrange zbench 0 99) ;;
    pfadd)
      redis-cli -p "$port" del hllbench >/dev/null
      WORKLOAD=(-r 100000000 pfadd hllbench element:__rand_int__) ;;
    pfcount)
      redis-cli -p "$port" del hllc1 hllc2 >/dev/null
      redis-cli -p "$port" pfadd hllc1 $(seq 1 20000) >/dev/null
      redis-cli -p "$port" pfadd hllc2 $(seq 10000 30000) >/dev/null
      WORKLOAD=(pfcount hllc1 hllc2) ;;
    geosearch)
      load_geo_points "$port"
      WORKLOAD=(geosearch geobench fromlonlat 13.4 52.5 byradius 10 km asc) ;;
    xadd)
      redis-cli -p "$port" del xbench >/dev/null
      WORKLOAD=(xadd xbench '*' name alice city berlin n 42) ;;
    xrange10)
      load_stream "$port"
      WORKLOAD=(xrange xrbench 50000 + count 10) ;;
    zaddbig|zscorebig|zrankbig)
      load_big_zset "$port"
      case "$test" in
        zaddbig) WORKLOAD=(-r 1000000 zadd zbig __rand_int__ member:__rand_int__) ;;
        zscorebig) WORKLOAD=(-r 1000000 zscore zbig member:__rand_int__) ;;
        zrankbig) WORKLOAD=(-r 1000000 zrank zbig member:__rand_int__) ;;
      esac ;;
    evalsha)
      WORKLOAD=(evalsha "$(redis-cli -p "$port" script load "$ONE_CALL_SCRIPT")" 1 counter:bench) ;;
    tokenbucket)
      # The clock advances by the request's random number, so buckets refill and drain as under real load.
      WORKLOAD=(-r 10000 evalsha "$(redis-cli -p "$port" script load "$TOKEN_BUCKET_SCRIPT")" 1 bucket:__rand_int__ 100 10 __rand_int__) ;;
  esac
}

# load_geo_points PORT: 100k members at seeded random positions within ±5° longitude, ±3° latitude of Berlin.
load_geo_points() {
  redis-cli -p "$1" del geobench >/dev/null
  awk 'BEGIN { srand(42); for (i = 0; i < 100000; i++) {
      lon = sprintf("%.6f", 8.4 + rand() * 10); lat = sprintf("%.6f", 49.5 + rand() * 6); m = "m" i;
      printf "*5\r\n$6\r\nGEOADD\r\n$8\r\ngeobench\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n",
        length(lon), lon, length(lat), lat, length(m), m } }' | redis-cli -p "$1" --pipe >/dev/null
}

# load_big_zset PORT: 1M members member:000000000000 .. member:000000999999 (redis-benchmark's __rand_int__
# form) with seeded random scores, unless the server already has them.
load_big_zset() {
  [ "$(redis-cli -p "$1" zcard zbig)" = 1000000 ] && return
  redis-cli -p "$1" del zbig >/dev/null
  awk 'BEGIN { srand(7); for (i = 0; i < 1000000; i += 100) {
      printf "*202\r\n$4\r\nZADD\r\n$4\r\nzbig\r\n";
      for (j = i; j < i + 100; j++) { s = int(rand() * 1000000); m = sprintf("member:%012d", j);
        printf "$%d\r\n%d\r\n$%d\r\n%s\r\n", length(s ""), s, length(m), m } } }' | redis-cli -p "$1" --pipe >/dev/null
}

# load_stream PORT: 100k entries (IDs 1-0 .. 100000-0) of 3 small fields.
load_stream() {
  redis-cli -p "$1" del xrbench >/dev/null
  awk 'BEGIN { for (i = 1; i <= 100000; i++) { id = i "-0"; n = "" i;
      printf "*9\r\n$4\r\nXADD\r\n$7\r\nxrbench\r\n$%d\r\n%s\r\n$4\r\nname\r\n$5\r\nalice\r\n$4\r\ncity\r\n$6\r\nberlin\r\n$1\r\nn\r\n$%d\r\n%s\r\n",
        length(id), id, length(n), n } }' | redis-cli -p "$1" --pipe >/dev/null
}

