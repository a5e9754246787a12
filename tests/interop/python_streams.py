#!/usr/bin/python3
"""A work queue on a stream with consumer groups, as applications write it with redis-py: the group is
created with MKSTREAM (BUSYGROUP on the second try), producers XADD with an approximate MAXLEN, a
worker blocked in XREADGROUP is woken by a later XADD, work is acknowledged with XACK, and entries a
dead worker left unacknowledged are taken over by another one with XAUTOCLAIM.

Env: REDIS_HOST, REDIS_PORT, REDIS_PASSWORD. Closing line "python-streams: N passed, M failed".
"""
import threading
import time

import redis

from interop_checks import HOST, PORT, PASSWORD, check, eq, finish  # noqa: E402


def connect():
    return redis.Redis(host=HOST, port=PORT, password=PASSWORD, decode_responses=True, socket_timeout=10)


r = connect()


@check
def flushall_at_start():
    eq(r.flushall(), True)


@check
def group_created_with_mkstream_then_busygroup():
    eq(r.xgroup_create("jobs", "workers", id="$", mkstream=True), True)
    try:
        r.xgroup_create("jobs", "workers", id="$", mkstream=True)
    except redis.ResponseError as e:
        eq(str(e), "BUSYGROUP Consumer Group name already exists")
    else:
        raise AssertionError("second XGROUP CREATE did not fail")
    eq(r.type("jobs"), "stream")
    eq(r.xlen("jobs"), 0)


@check
def blocked_worker_woken_by_a_later_xadd():
    got = {}
    worker = connect()

    def work():
        got["reply"] = worker.xreadgroup("workers", "alice", {"jobs": ">"}, count=10, block=5000)

    t = threading.Thread(target=work)
    t.start()
    # Wait until the worker is parked before producing.
    deadline = time.time() + 10
    while int(r.info("clients")["blocked_clients"]) < 1:
        assert time.time() < deadline, "worker never blocked"
        time.sleep(0.01)
    job_id = r.xadd("jobs", {"task": "resize", "image": "42.png"}, maxlen=10000, approximate=True)
    t.join(10)
    assert not t.is_alive(), "XREADGROUP was not woken"
    eq(got["reply"], [["jobs", [(job_id, {"task": "resize", "image": "42.png"})]]])
    eq(r.xack("jobs", "workers", job_id), 1)
    eq(r.xpending("jobs", "workers")["pending"], 0)
    worker.close()


@check
def approximate_maxlen_keeps_at_least_the_limit():
    for i in range(1500):
        r.xadd("capped", {"n": i}, maxlen=1000, approximate=True)
    n = r.xlen("capped")
    assert 1000 <= n < 1100, n
    eq(r.xadd("capped", {"n": "last"}, maxlen=5, approximate=False), r.xrevrange("capped", count=1)[0][0])
    eq(r.xlen("capped"), 5)


@check
def unacknowledged_work_is_autoclaimed_by_another_worker():
    ids = [r.xadd("jobs", {"task": f"t{i}"}) for i in range(5)]
    eq(len(r.xreadgroup("workers", "dead-worker", {"jobs": ">"}, count=5)[0][1]), 5)
    r.xack("jobs", "workers", ids[0])
    time.sleep(0.05)
    start, claimed, deleted = r.xautoclaim("jobs", "workers", "bob", min_idle_time=20, start_id="0-0", count=2)
    eq([e[0] for e in claimed], ids[1:3])
    eq(start, ids[3])
    eq(deleted, [])
    r.xdel("jobs", ids[4])
    start, claimed, deleted = r.xautoclaim("jobs", "workers", "bob", min_idle_time=0, start_id=start)
    eq([e[0] for e in claimed], [ids[3]])
    eq(deleted, [ids[4]])
    eq(start, "0-0")
    summary = r.xpending("jobs", "workers")
    eq(summary["pending"], 3)
    eq(summary["consumers"], [{"name": "bob", "pending": 3}])
    eq(r.xack("jobs", "workers", *ids[1:4]), 3)
    consumers = {c["name"]: c["pending"] for c in r.xinfo_consumers("jobs", "workers")}
    eq(consumers, {"alice": 0, "bob": 0, "dead-worker": 0})
    info = r.xinfo_groups("jobs")[0]
    eq((info["name"], info["pending"], info["consumers"]), ("workers", 0, 3))


@check
def xinfo_stream_and_ranges():
    r.delete("log")
    for i in range(1, 6):
        r.xadd("log", {"level": "info", "n": i}, id=f"1000-{i}")
    info = r.xinfo_stream("log")
    eq((info["length"], info["last-generated-id"], info["first-entry"][0]), (5, "1000-5", "1000-1"))
    eq([e[0] for e in r.xrange("log", "(1000-2", "+", count=2)], ["1000-3", "1000-4"])
    eq([e[0] for e in r.xrevrange("log", "+", "-", count=1)], ["1000-5"])
    eq(r.xread({"log": "1000-4"}), [["log", [("1000-5", {"level": "info", "n": "5"})]]])


finish("python-streams")
