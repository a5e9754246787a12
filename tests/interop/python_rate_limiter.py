#!/usr/bin/python3
"""The sliding-window rate limiter as applications write it with redis-py: one MULTI/EXEC pipeline
of ZREMRANGEBYSCORE (drop what left the window), ZADD (this request), ZCARD (requests in the window)
and EXPIRE (forget idle users). A request is allowed when the count is within the limit, so a burst gets
exactly `limit` allowed requests per window, also from concurrent clients.

Env: REDIS_HOST, REDIS_PORT, REDIS_PASSWORD. Closing line "python-rate-limiter: N passed, M failed".
"""
import os
import sys
import threading
import time
import traceback
import uuid

import redis

from interop_checks import HOST, PORT, PASSWORD, check, eq, finish  # noqa: E402


def connect():
    return redis.Redis(host=HOST, port=PORT, password=PASSWORD, decode_responses=True, socket_timeout=10)


r = connect()


def allow(client, user, limit, window_seconds, now_ms=None):
    """One request of `user` at `now_ms` (default: the clock): True when at most `limit` requests,
    this one included, are in the last `window_seconds`. The checks pass the time explicitly, so a
    slow machine cannot let entries leave the window in the middle of a burst."""
    key = f"ratelimit:{user}"
    if now_ms is None:
        now_ms = int(time.time() * 1000)
    with client.pipeline(transaction=True) as p:
        p.zremrangebyscore(key, 0, now_ms - window_seconds * 1000)
        p.zadd(key, {f"{now_ms}:{uuid.uuid4().hex}": now_ms})
        p.zcard(key)
        p.expire(key, window_seconds)
        _, added, count, _ = p.execute()
    assert added == 1
    return count <= limit


@check
def flushall_at_start():
    eq(r.flushall(), True)


@check
def burst_gets_exactly_limit_then_window_slides():
    limit, window = 10, 60
    start = int(time.time() * 1000)
    results = [allow(r, "alice", limit, window, start + i) for i in range(35)]
    eq(sum(results), limit)
    eq(results[:limit], [True] * limit)
    ttl = r.ttl("ratelimit:alice")
    assert window - 5 < ttl <= window, ttl
    # Another user has a window of their own.
    eq(sum(allow(r, "bob", limit, window, start + i) for i in range(12)), limit)
    # Once the window has passed, the old entries are dropped and a new burst again gets exactly `limit`.
    later = start + window * 1000 + 100
    eq(sum(allow(r, "alice", limit, window, later + i) for i in range(25)), limit)
    eq(r.zcard("ratelimit:alice"), 25)


@check
def concurrent_clients_share_the_limit():
    limit, window, threads, per_thread = 20, 3600, 6, 15
    allowed = []
    lock = threading.Lock()

    def worker():
        c = connect()
        n = sum(allow(c, "carol", limit, window) for _ in range(per_thread))
        with lock:
            allowed.append(n)
        c.close()

    ts = [threading.Thread(target=worker) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(timeout=60)
    eq(sum(allowed), limit)
    eq(r.zcard("ratelimit:carol"), threads * per_thread)


@check
def idle_user_key_expires():
    allow(r, "dave", 5, 1)
    eq(r.exists("ratelimit:dave"), 1)
    # Waits on the condition (the key gone), not a fixed time; a 1 s TTL is gone within 1 s plus an
    # expiry cycle, so 10 s is a failure, not a slow machine.
    deadline = time.monotonic() + 10
    while r.exists("ratelimit:dave") and time.monotonic() < deadline:
        time.sleep(0.05)
    eq(r.exists("ratelimit:dave"), 0)


r.close()
finish("python-rate-limiter")
