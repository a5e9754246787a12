#!/usr/bin/python3
"""Pub/sub and transactions through redis-py (Debian's python3-redis) as applications use them:
psubscribe("notifications:*") with a listener thread (run_in_thread, and a thread reading listen()),
keyspace notifications, WATCH/MULTI optimistic locking from several threads, pipeline transactions.

Env: REDIS_HOST, REDIS_PORT, REDIS_PASSWORD. Prints one line per failed check and a closing
"python-pubsub: N passed, M failed"; exits 1 when any check failed.
"""
import os
import queue
import sys
import threading
import time
import traceback

import redis

from interop_checks import HOST, PORT, PASSWORD, check, eq, finish  # noqa: E402


def wait_for(predicate, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


r = redis.Redis(host=HOST, port=PORT, password=PASSWORD, decode_responses=True, socket_timeout=10)


@check
def flushall_at_start():
    eq(r.flushall(), True)


@check
def psubscribe_notifications_with_run_in_thread():
    received = []
    p = r.pubsub(ignore_subscribe_messages=True)
    p.psubscribe(**{"notifications:*": received.append})
    worker = p.run_in_thread(sleep_time=0.01, daemon=True)
    try:
        # The subscription is active once the server counts the pattern.
        assert wait_for(lambda: r.pubsub_numpat() == 1), "pattern subscription not registered"
        for i in range(200):
            channel = "notifications:orders" if i % 2 == 0 else "notifications:users"
            eq(r.publish(channel, f"event-{i}"), 1)
        eq(r.publish("other:orders", "not for us"), 0)
        assert wait_for(lambda: len(received) == 200), f"got {len(received)} of 200 messages"
        eq([m["data"] for m in received], [f"event-{i}" for i in range(200)])
        eq({m["type"] for m in received}, {"pmessage"})
        eq({m["pattern"] for m in received}, {"notifications:*"})
        eq(received[1]["channel"], "notifications:users")
    finally:
        worker.stop()
        worker.join(timeout=5)
        p.close()
    assert wait_for(lambda: r.pubsub_numpat() == 0), "pattern still counted after close"


@check
def listener_thread_reading_listen():
    messages = queue.Queue()
    p = r.pubsub()
    p.psubscribe("notifications:*")
    p.subscribe("alerts")

    def listen():
        for m in p.listen():
            messages.put(m)
            if m["type"] == "message" and m["data"] == "stop":
                return

    t = threading.Thread(target=listen, daemon=True)
    t.start()
    first = [messages.get(timeout=10), messages.get(timeout=10)]
    eq([(m["type"], m["channel"], m["data"]) for m in first],
       [("psubscribe", "notifications:*", 1), ("subscribe", "alerts", 2)])
    eq(r.pubsub_numsub("alerts"), [("alerts", 1)])
    eq(r.publish("notifications:a", "1"), 1)
    eq(r.publish("alerts", "2"), 1)
    eq(r.publish("alerts", "stop"), 1)
    t.join(timeout=10)
    got = []
    while not messages.empty():
        got.append(messages.get())
    eq([(m["type"], m["pattern"], m["channel"], m["data"]) for m in got],
       [("pmessage", "notifications:*", "notifications:a", "1"), ("message", None, "alerts", "2"),
        ("message", None, "alerts", "stop")])
    p.punsubscribe()
    p.unsubscribe()
    p.close()


@check
def keyspace_notifications_reach_a_pattern_listener():
    eq(r.config_set("notify-keyspace-events", "KEA"), True)
    try:
        p = r.pubsub(ignore_subscribe_messages=True)
        p.psubscribe("__keyevent@0__:*")
        assert wait_for(lambda: r.pubsub_numpat() >= 1)
        r.set("ks:a", "1")
        r.expire("ks:a", 100)
        r.delete("ks:a")
        got = []
        deadline = time.time() + 10
        while len(got) < 3 and time.time() < deadline:
            m = p.get_message(timeout=1)
            if m:
                got.append((m["channel"], m["data"]))
        eq(got, [("__keyevent@0__:set", "ks:a"), ("__keyevent@0__:expire", "ks:a"), ("__keyevent@0__:del", "ks:a")])
        p.close()
    finally:
        r.config_set("notify-keyspace-events", "")


@check
def pipeline_transaction_and_errors():
    with r.pipeline(transaction=True) as p:
        p.set("tx:a", "1").incr("tx:a").get("tx:a")
        eq(p.execute(), [True, 2, "2"])
    # A runtime error inside EXEC: the other commands still ran.
    r.set("tx:s", "text")
    with r.pipeline(transaction=True) as p:
        p.incr("tx:s").set("tx:b", "ok")
        results = p.execute(raise_on_error=False)
        assert isinstance(results[0], redis.ResponseError), results
        eq(results[1], True)
    eq(r.get("tx:b"), "ok")
    # A queue-time error aborts the whole transaction.
    with r.pipeline(transaction=True) as p:
        p.set("tx:c", "1")
        p.execute_command("SET", "tx:c")
        try:
            p.execute()
            raise AssertionError("expected EXECABORT")
        except redis.ResponseError as e:
            assert "wrong number of arguments" in str(e) or "EXECABORT" in str(e), str(e)
    eq(r.get("tx:c"), None)


@check
def watch_optimistic_locking_from_threads():
    r.set("counter", 0)
    threads, increments, retries = 8, 50, [0]
    lock = threading.Lock()

    def worker():
        local = redis.Redis(host=HOST, port=PORT, password=PASSWORD, decode_responses=True, socket_timeout=10)
        for _ in range(increments):
            while True:
                with local.pipeline() as p:
                    try:
                        p.watch("counter")
                        value = int(p.get("counter"))
                        p.multi()
                        p.set("counter", value + 1)
                        p.execute()
                        break
                    except redis.WatchError:
                        with lock:
                            retries[0] += 1
        local.close()

    ts = [threading.Thread(target=worker) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(timeout=60)
    eq(r.get("counter"), str(threads * increments))


@check
def transaction_helper_retries_on_watch_error():
    r.set("balance", 100)

    def spend(pipe):
        balance = int(pipe.get("balance"))
        pipe.multi()
        pipe.set("balance", balance - 30)

    eq(r.transaction(spend, "balance"), [True])
    eq(r.get("balance"), "70")


r.close()
finish("python-pubsub")
