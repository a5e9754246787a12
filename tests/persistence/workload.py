#!/usr/bin/python3
"""A deterministic write workload over every type and encoding Redis 7.0 has, for persistence interop:
small and large encodings, TTLs, all 16 databases, streams with consumer groups and pending entries,
a function library, MULTI/EXEC, scripts, SPOP, INCRBYFLOAT, HyperLogLog, geo, bitmaps, and deletions.

Usage: workload.py PORT                    runs the workload (the server must be empty)
       workload.py PORT --state            prints DEBUG DIGEST of every database and FUNCTION DUMP's hex
       workload.py PORT --while-rewriting  after the workload and DEBUG POPULATE: starts BGREWRITEAOF and writes
                                           to keys of every type, database and function library until it
                                           ends; prints whether the rewrite started and how many rounds it wrote
"""
import random
import sys

import redis

port = int(sys.argv[1])


def db(n):
    return redis.Redis(host="127.0.0.1", port=port, db=n, socket_timeout=20)


def state():
    r = db(0)
    print("digest", r.execute_command("DEBUG", "DIGEST").decode())
    for n in range(16):
        print("db", n, "keys", db(n).dbsize())
    dump = r.execute_command("FUNCTION", "DUMP")
    print("functions", len(dump))
    print("function-list", r.execute_command("FUNCTION", "LIST"))


def workload():
    rng = random.Random(7)
    r = db(0)
    # Strings: short, integer, long, binary, appended, counters, a float.
    r.set("s:short", "hello")
    r.set("s:int", 12345)
    r.set("s:long", "x" * 5000)
    r.set("s:bin", bytes(range(256)))
    r.append("s:short", " world")
    r.incrby("s:counter", 41)
    r.incr("s:counter")
    r.incrbyfloat("s:float", 3.25)
    r.setrange("s:range", 10, "abc")
    r.setbit("s:bits", 1000, 1)
    r.pfadd("s:hll", *[f"e{i}" for i in range(200)])
    r.geoadd("s:geo", (13.361389, 38.115556, "Palermo"), (15.087269, 37.502669, "Catania"))
    # Lists: a small listpack and a large quicklist, popped and trimmed.
    r.rpush("l:small", *range(10))
    r.lpush("l:big", *[f"item-{i}-{'y' * rng.randint(1, 80)}" for i in range(1500)])
    r.lpop("l:big")
    r.ltrim("l:big", 0, 1200)
    r.lset("l:small", 3, "three")
    r.lmove("l:small", "l:moved", "LEFT", "RIGHT")
    # Hashes, sets and sorted sets in both encodings.
    r.hset("h:small", mapping={f"f{i}": i for i in range(10)})
    r.hset("h:big", mapping={f"field-{i}": "v" * rng.randint(1, 100) for i in range(600)})
    r.hincrbyfloat("h:small", "f1", 0.5)
    r.hdel("h:big", "field-3")
    r.sadd("set:int", *range(100))
    r.sadd("set:small", "a", "b", "c")
    r.sadd("set:big", *[f"m{i}" for i in range(1000)])
    r.srem("set:big", "m5")
    r.spop("set:big", 3)
    r.zadd("z:small", {f"m{i}": i * 1.5 for i in range(20)})
    r.zadd("z:big", {f"member-{i}": rng.random() for i in range(800)})
    r.zincrby("z:big", 2.5, "member-1")
    r.zpopmin("z:big", 2)
    r.zrem("z:small", "m3")
    # Streams: entries, trimming, groups, consumers, pending entries, acknowledgements, claims.
    for i in range(300):
        r.xadd("st:one", {"f": i, "g": "v" * (i % 7)}, id=f"{1000 + i}-{i % 3}")
    r.xtrim("st:one", maxlen=250)
    r.xdel("st:one", "1100-1")
    r.xgroup_create("st:one", "g1", id="0")
    r.xgroup_create("st:one", "g2", id="$")
    r.xreadgroup("g1", "alice", {"st:one": ">"}, count=5)
    r.xreadgroup("g1", "bob", {"st:one": ">"}, count=3)
    r.xack("st:one", "g1", "1050-2", "1051-0")
    r.execute_command("XCLAIM", "st:one", "g1", "carol", "0", "1052-1")
    r.execute_command("XGROUP", "CREATECONSUMER", "st:one", "g2", "dave")
    r.xadd("st:empty", {"a": 1}, id="5-5")
    r.xdel("st:empty", "5-5")
    r.execute_command("XSETID", "st:empty", "10-10")
    # TTLs (long enough not to expire during the test), PERSIST, EXPIRE.
    r.set("t:ex", "v", ex=100000)
    r.set("t:px", "v", px=200000000)
    r.expire("h:small", 50000)
    r.set("t:persisted", "v", ex=100)
    r.persist("t:persisted")
    r.getex("s:long", ex=90000)
    # MULTI/EXEC and scripts.
    p = r.pipeline(transaction=True)
    p.incr("tx:a").incr("tx:b").lpush("tx:l", "x").hset("tx:h", "f", "v")
    p.execute()
    r.eval("redis.call('set', KEYS[1], ARGV[1]); redis.call('incr', KEYS[2]); return 1", 2, "lua:a", "lua:b", "val")
    r.eval("redis.call('rpush', KEYS[1], 'a', 'b'); redis.call('lpop', KEYS[1]); return 1", 1, "lua:l")
    # A function library, called.
    r.execute_command("FUNCTION", "LOAD",
                      "#!lua name=mylib\nredis.register_function('bump', function(keys, args) return redis.call('incrby', keys[1], args[1]) end)")
    r.execute_command("FCALL", "bump", 1, "fn:counter", 5)
    # Deletions, renames, copies.
    r.set("del:me", 1)
    r.delete("del:me")
    r.rename("s:int", "s:renamed")
    r.copy("l:small", "l:copy")
    # Every database gets keys of its own.
    for n in range(1, 16):
        d = db(n)
        d.set(f"db{n}:s", n)
        d.rpush(f"db{n}:l", *range(n))
        d.zadd(f"db{n}:z", {"a": n})
        d.set(f"db{n}:ttl", "v", ex=100000 + n)
    db(3).move("db3:s", 4)
    r.swapdb(14, 15)
    db(2).flushdb()
    db(2).set("after-flush", 1)


def while_rewriting():
    r = db(0)
    # redis-py turns the status reply into True (an error reply raises).
    print("started" if r.execute_command("BGREWRITEAOF") is True else "not started")
    rounds = 0
    while r.info("persistence")["aof_rewrite_in_progress"] == 1:
        if rounds == 0:
            # Once, while the base is being written: the library replaced by another body (one library of one
            # function: Redis lists several in its dicts' order, which its hash seed varies), a flushed and two
            # swapped databases.
            r.execute_command("FUNCTION", "LOAD", "REPLACE",
                              "#!lua name=mylib\nredis.register_function('bump', function(keys, args) return redis.call('incrby', keys[1], 2 * args[1]) end)")
            db(9).flushdb()
            r.swapdb(10, 11)
        p = r.pipeline(transaction=False)
        for _ in range(20):
            n = rounds
            p.rpush("l:big", f"during-{n}").lpop("l:small")
            p.hset("h:big", f"during-{n % 50}", n).hincrby("h:small", "f2", 1)
            p.sadd("set:big", f"during-{n}").zincrby("z:big", 1, f"member-{n % 800}")
            p.xadd("st:one", {"during": n})
            p.xreadgroup("g1", "erin", {"st:one": ">"}, count=1)
            p.incr("s:counter").append(f"key:{n * 7919 % 200000}", "+").delete(f"key:{n * 104729 % 200000}")
            p.set(f"new:{n}", n, px=300000000)
            p.execute_command("SELECT", 7).rpush("db7:l", n).execute_command("SELECT", 0)
            rounds += 1
        p.execute()
    print(rounds)


if len(sys.argv) > 2 and sys.argv[2] == "--state":
    state()
elif len(sys.argv) > 2 and sys.argv[2] == "--while-rewriting":
    while_rewriting()
else:
    workload()
