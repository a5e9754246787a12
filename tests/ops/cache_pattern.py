"""The cache pattern of tests/ops/cache_pattern.sh, against one running server.

  cache_pattern.py PORT POLICY MAXMEMORY EMPTY_RSS [RSS_FACTOR]

Writes 5x MAXMEMORY of 1 KB values under fresh keys (pipelines of 500), while another connection reads the
key "hot" once a second. With an eviction policy the writes are paced to fill maxmemory every 5 seconds:
LRU keeps a key read every second only when the rest of the cache is older than that (Redis's LRU clock
counts seconds, and so does ours), which a cache turning over faster than once a second cannot give. The
key "hot" and a third samples INFO memory. Prints one "check NAME ok|FAIL detail" line per
check: with an eviction policy the load has no error, used_memory ends within 5% of maxmemory and never
passes it by more, RSS stays within RSS_FACTOR (default 1.3) x maxmemory + the empty server's RSS, and "hot" is read every time;
with noeviction the load gets OOM errors and every read still works.
"""
import sys
import threading
import time

import redis

port, policy, maxmemory, empty_rss = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
RSS_FACTOR = float(sys.argv[5]) if len(sys.argv) > 5 else 1.3
VALUE = b"v" * 1024
TOTAL = 5 * maxmemory // len(VALUE)
done = threading.Event()
reads = {"ok": 0, "missing": 0, "errors": 0}
samples = []


def reader():
    r = redis.Redis(port=port)
    while not done.is_set():
        try:
            if r.get("hot") == b"hot-value":
                reads["ok"] += 1
            else:
                reads["missing"] += 1
        except redis.RedisError:
            reads["errors"] += 1
        done.wait(1.0)


def sampler():
    r = redis.Redis(port=port)
    while not done.is_set():
        info = r.info("memory")
        samples.append((info["used_memory"], info["used_memory_rss"]))
        done.wait(0.2)


def check(name, ok, detail):
    print(f"check {name} {'ok' if ok else 'FAIL'} {detail}", flush=True)


r = redis.Redis(port=port)
r.set("hot", "hot-value")
threads = [threading.Thread(target=reader), threading.Thread(target=sampler)]
for t in threads:
    t.start()
errors = 0
oom = 0
start = time.time()
pipe = r.pipeline(transaction=False)
for i in range(TOTAL):
    pipe.set(f"key:{i:010d}", VALUE)
    if len(pipe) == 500 or i == TOTAL - 1:
        for reply in pipe.execute(raise_on_error=False):
            if isinstance(reply, Exception):
                errors += 1
                if "command not allowed when used memory > 'maxmemory'" in str(reply):
                    oom += 1
        if policy != "noeviction":
            # Pace: maxmemory's worth of writes per 5 seconds.
            ahead = (i + 1) * len(VALUE) / (maxmemory / 5) - (time.time() - start)
            if ahead > 0:
                time.sleep(ahead)
elapsed = time.time() - start
time.sleep(1.2)  # one more read of "hot" after the load
done.set()
for t in threads:
    t.join()
info = r.info("memory")
used, rss = info["used_memory"], info["used_memory_rss"]
peak_used = max(s[0] for s in samples)
peak_rss = max(s[1] for s in samples + [(used, rss)])
evicted = r.info("stats")["evicted_keys"]
print(f"{policy}: {TOTAL} SETs of 1 KB in {elapsed:.1f} s, {errors} errors ({oom} OOM), evicted {evicted}, "
      f"used_memory {used} (peak sample {peak_used}), RSS {rss} (peak sample {peak_rss}), empty RSS {empty_rss}, "
      f"hot reads ok={reads['ok']} missing={reads['missing']} errors={reads['errors']}", flush=True)
if policy == "noeviction":
    check("noeviction-gets-oom", oom > 0, f"{oom} OOM errors")
    check("noeviction-reads-work", reads["missing"] == 0 and reads["errors"] == 0 and r.get("hot") == b"hot-value",
          f"{reads}")
else:
    check(f"{policy}-no-errors", errors == 0, f"{errors} errors")
    check(f"{policy}-used-memory-near-limit", abs(used - maxmemory) <= maxmemory * 0.05,
          f"used_memory {used}, maxmemory {maxmemory}")
    check(f"{policy}-used-memory-never-far-above", peak_used <= maxmemory * 1.05, f"peak sample {peak_used}")
    # Evicted values are garbage until a background collection sweeps them: Cinnabar's trimmer starts one
    # whenever the heap holds 1/16 more than used memory (measured 1.25-1.27 x on a loaded machine).
    check(f"{policy}-rss-bounded", peak_rss <= RSS_FACTOR * maxmemory + empty_rss,
          f"peak RSS {peak_rss} <= {RSS_FACTOR} x {maxmemory} + {empty_rss}")
    check(f"{policy}-hot-key-survives", reads["missing"] == 0 and reads["errors"] == 0 and reads["ok"] >= 2, f"{reads}")
