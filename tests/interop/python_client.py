#!/usr/bin/python3
"""Drives a running server through redis-py (Debian's python3-redis) the way applications use it:
a shared connection pool with a password, pipelines, string and key commands, INFO.

Env: REDIS_HOST, REDIS_PORT, REDIS_PASSWORD. Prints one line per failed check and a closing
"python: N passed, M failed"; exits 1 when any check failed.
"""
import os
import sys
import threading
import time
import traceback

import redis

from interop_checks import HOST, PORT, PASSWORD, check, eq, finish  # noqa: E402


def raises(fn, error_type, text):
    try:
        fn()
    except error_type as e:
        assert text in str(e), f"expected error containing {text!r}, got {str(e)!r}"
        return
    raise AssertionError(f"expected {error_type.__name__} containing {text!r}, got no error")


pool = redis.ConnectionPool(host=HOST, port=PORT, password=PASSWORD, decode_responses=True,
                            socket_timeout=10, max_connections=8)
r = redis.Redis(connection_pool=pool)


@check
def flushall_at_start():
    eq(r.flushall(), True)


def auth_check(fn):
    """Checks of password handling run only when the server has a password."""
    return check(fn) if PASSWORD else fn


@auth_check
def auth_required_without_password():
    bare = redis.Redis(host=HOST, port=PORT, socket_timeout=10)
    raises(bare.ping, redis.exceptions.AuthenticationError, "Authentication required")
    bare.close()


@auth_check
def wrong_password_rejected():
    wrong = redis.Redis(host=HOST, port=PORT, password="not-the-password", socket_timeout=10)
    raises(wrong.ping, redis.ResponseError, "WRONGPASS invalid username-password pair")
    wrong.close()


@check
def ping_echo():
    eq(r.ping(), True)
    eq(r.echo("hello"), "hello")


@check
def set_get_and_options():
    eq(r.set("s:a", "1"), True)
    eq(r.get("s:a"), "1")
    eq(r.get("s:missing"), None)
    eq(r.set("s:a", "2", nx=True), None)
    eq(r.set("s:new", "x", xx=True), None)
    eq(r.set("s:a", "3", xx=True, get=True), "1")
    eq(r.set("s:ex", "v", ex=100), True)
    assert 98 <= r.ttl("s:ex") <= 100
    eq(r.set("s:px", "v", px=50000), True)
    assert 49000 <= r.pttl("s:px") <= 50000
    eq(r.set("s:ex", "w", keepttl=True), True)
    assert r.ttl("s:ex") > 0
    eq(r.set("s:ex", "w"), True)
    eq(r.ttl("s:ex"), -1)
    raises(lambda: r.execute_command("SET", "s:a", "v", "EX", "0"), redis.ResponseError,
           "invalid expire time in 'set' command")
    raises(lambda: r.execute_command("SET", "s:a", "v", "NX", "XX"), redis.ResponseError, "syntax error")


@check
def binary_values_round_trip():
    raw = redis.Redis(connection_pool=redis.ConnectionPool(host=HOST, port=PORT, password=PASSWORD))
    blob = bytes(range(256)) * 4 + b"\r\n\x00end"
    raw.set(b"bin:\x00\xff", blob)
    eq(raw.get(b"bin:\x00\xff"), blob)
    big = b"x" * (1024 * 1024)
    raw.set("bin:big", big)
    eq(raw.get("bin:big"), big)
    eq(raw.strlen("bin:big"), 1024 * 1024)
    raw.connection_pool.disconnect()


@check
def counters():
    r.delete("c")
    eq(r.incr("c"), 1)
    eq(r.incrby("c", 10), 11)
    eq(r.decr("c"), 10)
    eq(r.decrby("c", 5), 5)
    eq(r.incrbyfloat("c", 1.5), 6.5)
    eq(r.get("c"), "6.5")
    r.set("c:int", "9223372036854775807")
    raises(lambda: r.incr("c:int"), redis.ResponseError, "increment or decrement would overflow")
    r.set("c:text", "abc")
    raises(lambda: r.incr("c:text"), redis.ResponseError, "value is not an integer or out of range")
    raises(lambda: r.incrbyfloat("c:text", 1), redis.ResponseError, "value is not a valid float")


@check
def multi_key_strings():
    eq(r.mset({"m:1": "a", "m:2": "b", "m:3": "c"}), True)
    eq(r.mget("m:1", "m:2", "m:nope", "m:3"), ["a", "b", None, "c"])
    eq(r.msetnx({"m:1": "z", "m:4": "d"}), False)
    eq(r.get("m:4"), None)
    eq(r.msetnx({"m:4": "d", "m:5": "e"}), True)


@check
def string_editing():
    r.delete("e")
    eq(r.append("e", "Hello"), 5)
    eq(r.append("e", " World"), 11)
    eq(r.strlen("e"), 11)
    eq(r.getrange("e", 0, 4), "Hello")
    eq(r.getrange("e", -5, -1), "World")
    eq(r.setrange("e", 6, "Redis"), 11)
    eq(r.get("e"), "Hello Redis")
    eq(r.setrange("e:pad", 3, "x"), 4)
    eq(r.get("e:pad"), "\x00\x00\x00x")


@check
def set_variants():
    r.delete("v")
    eq(r.setnx("v", "1"), True)
    eq(r.setnx("v", "2"), False)
    eq(r.setex("v:ex", 100, "x"), True)
    assert 98 <= r.ttl("v:ex") <= 100
    eq(r.psetex("v:px", 100000, "y"), True)
    assert r.pttl("v:px") > 90000
    eq(r.getset("v", "3"), "1")
    eq(r.getdel("v"), "3")
    eq(r.exists("v"), 0)
    r.set("v:gx", "g")
    eq(r.getex("v:gx", ex=50), "g")
    assert 48 <= r.ttl("v:gx") <= 50
    eq(r.getex("v:gx", persist=True), "g")
    eq(r.ttl("v:gx"), -1)


@check
def keys_lifecycle():
    r.mset({"k:1": "1", "k:2": "2", "k:3": "3"})
    eq(r.exists("k:1", "k:2", "k:nope", "k:1"), 3)
    eq(r.delete("k:1", "k:nope"), 1)
    eq(r.unlink("k:2"), 1)
    eq(r.type("k:3"), "string")
    eq(r.type("k:nope"), "none")
    eq(r.touch("k:3", "k:nope"), 1)
    eq(r.rename("k:3", "k:4"), True)
    eq(r.exists("k:3"), 0)
    raises(lambda: r.rename("k:nope", "k:5"), redis.ResponseError, "no such key")
    r.set("k:5", "five")
    eq(r.renamenx("k:4", "k:5"), False)
    eq(r.renamenx("k:4", "k:6"), True)
    eq(r.copy("k:6", "k:7"), True)
    eq(r.get("k:7"), "3")
    eq(r.copy("k:6", "k:7"), False)


@check
def expiry():
    r.set("x", "1")
    eq(r.ttl("x"), -1)
    eq(r.ttl("x:nope"), -2)
    eq(r.expire("x", 100), True)
    assert 98 <= r.ttl("x") <= 100
    eq(r.pexpire("x", 200000), True)
    assert 190000 <= r.pttl("x") <= 200000
    eq(r.persist("x"), True)
    eq(r.persist("x"), False)
    eq(r.expireat("x", int(time.time()) + 1000), True)
    assert 990 <= r.ttl("x") <= 1000
    eq(r.expire("x:nope", 10), False)
    r.set("x:short", "1", px=100)
    time.sleep(0.3)
    eq(r.get("x:short"), None)
    eq(r.exists("x:short"), 0)


@check
def keys_scan_and_random():
    r.flushdb()
    names = {f"user:{i}" for i in range(500)}
    r.mset({n: "1" for n in names})
    r.set("other", "1")
    eq(set(r.keys("user:*")), names)
    eq(len(r.keys("*")), 501)
    eq(set(r.scan_iter(match="user:*", count=50)), names)
    cursor, batch = r.scan(0, count=10)
    assert isinstance(cursor, int) and len(batch) > 0
    eq(r.dbsize(), 501)
    assert r.randomkey() in names | {"other"}
    r.flushdb()
    eq(r.randomkey(), None)
    eq(r.dbsize(), 0)


@check
def object_encoding():
    r.set("o:int", "12345")
    r.set("o:short", "hello")
    r.set("o:long", "x" * 100)
    eq(r.object("encoding", "o:int"), "int")
    eq(r.object("encoding", "o:short"), "embstr")
    eq(r.object("encoding", "o:long"), "raw")


@check
def select_databases():
    db1 = redis.Redis(host=HOST, port=PORT, password=PASSWORD, db=1, decode_responses=True)
    db1.set("only-in-1", "yes")
    eq(r.get("only-in-1"), None)
    eq(db1.get("only-in-1"), "yes")
    info = r.info("keyspace")
    assert info["db1"]["keys"] >= 1, info
    db1.flushdb()
    db1.close()
    raises(lambda: r.execute_command("SELECT", "99"), redis.ResponseError, "DB index is out of range")


@check
def client_name_and_id():
    c = redis.Redis(host=HOST, port=PORT, password=PASSWORD, decode_responses=True, single_connection_client=True)
    eq(c.client_setname("worker-1"), True)
    eq(c.client_getname(), "worker-1")
    assert isinstance(c.client_id(), int)
    assert any(cl.get("name") == "worker-1" for cl in r.client_list())
    c.close()


@check
def pipeline_without_transaction():
    pipe = r.pipeline(transaction=False)
    for i in range(100):
        pipe.set(f"p:{i}", i)
    for i in range(100):
        pipe.incr(f"p:{i}")
    pipe.get("p:42")
    pipe.incr("p:text:x")
    pipe.set("p:text", "abc")
    pipe.incr("p:text")
    results = pipe.execute(raise_on_error=False)
    eq(results[:100], [True] * 100)
    eq(results[100:200], list(range(1, 101)))
    eq(results[200], "43")
    eq(results[201], 1)
    eq(results[202], True)
    assert isinstance(results[203], redis.ResponseError), results[203]


@check
def pool_shared_by_threads():
    errors = []

    def worker(n):
        try:
            for i in range(200):
                key = f"t:{n}:{i}"
                r.set(key, str(i))
                if r.get(key) != str(i):
                    errors.append(key)
                r.incr(f"t:count")
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    eq(errors, [])
    eq(r.get("t:count"), "1200")
    assert len(pool._available_connections) + len(pool._in_use_connections) <= 8


@check
def info_sections():
    info = r.info()
    for field in ("redis_version", "tcp_port", "connected_clients", "used_memory", "uptime_in_seconds"):
        assert field in info, f"INFO lacks {field}"
    eq(info["tcp_port"], PORT)
    server = r.info("server")
    assert "redis_version" in server and "used_memory" not in server
    memory = r.info("memory")
    assert memory["used_memory"] > 0
    r.set("info:key", "1", ex=1000)
    keyspace = r.info("keyspace")
    assert keyspace["db0"]["keys"] >= 1 and keyspace["db0"]["expires"] >= 1, keyspace
    stats = r.info("stats")
    assert stats["total_commands_processed"] > 0
    raw = r.execute_command("INFO", "server")
    assert "# Server" in str(raw) or "redis_version" in str(raw)


@check
def server_commands():
    t = r.time()
    assert abs(t[0] - time.time()) < 5
    eq(r.config_get("maxmemory"), {"maxmemory": "0"})
    eq(r.config_set("maxmemory", "0"), True)
    r.set("sv:1", "1")
    eq(r.flushall(), True)
    eq(r.dbsize(), 0)
    assert r.command_count() > 100


@check
def hyperloglog():
    eq(r.pfadd("hll:a", "x", "y", "z"), 1)
    eq(r.pfadd("hll:a", "x"), 0)
    eq(r.pfcount("hll:a"), 3)
    r.pfadd("hll:b", *[f"e{i}" for i in range(1000)])
    eq(r.pfcount("hll:b"), 1008)
    eq(r.pfcount("hll:a", "hll:b"), 1012)
    eq(r.pfmerge("hll:m", "hll:a", "hll:b"), True)
    eq(r.pfcount("hll:m"), 1012)
    raw = redis.Redis(connection_pool=redis.ConnectionPool(host=HOST, port=PORT, password=PASSWORD))
    assert raw.get("hll:a").startswith(b"HYLL\x01")  # a string in Redis's sparse layout
    raw.close()
    r.set("hll:text", "not an hll")
    raises(lambda: r.pfadd("hll:text", "x"), redis.ResponseError, "Key is not a valid HyperLogLog string value.")


@check
def geo():
    eq(r.geoadd("geo:sicily", [13.361389, 38.115556, "Palermo", 15.087269, 37.502669, "Catania"]), 2)
    eq(r.geodist("geo:sicily", "Palermo", "Catania", unit="km"), 166.2742)
    eq(r.geohash("geo:sicily", "Palermo", "nope"), ["sqc8b49rny0", None])
    eq(r.geopos("geo:sicily", "Palermo")[0], (13.361389338970184, 38.1155563954963))
    eq(r.geosearch("geo:sicily", longitude=15, latitude=37, radius=200, unit="km", withdist=True, sort="ASC"),
       [["Catania", 56.4413], ["Palermo", 190.4424]])
    eq(r.geosearch("geo:sicily", member="Palermo", width=400, height=400, unit="km", count=1, sort="DESC"), ["Catania"])
    eq(r.geosearchstore("geo:near", "geo:sicily", longitude=15, latitude=37, radius=100, unit="km"), 1)
    eq(r.zrange("geo:near", 0, -1), ["Catania"])
    eq(r.georadius("geo:sicily", 15, 37, 200, unit="km"), ["Palermo", "Catania"])
    raises(lambda: r.geoadd("geo:sicily", [200, 10, "bad"]), redis.ResponseError,
           "invalid longitude,latitude pair 200.000000,10.000000")


@check
def unknown_command_error():
    raises(lambda: r.execute_command("NOSUCHCOMMAND", "a"), redis.ResponseError, "unknown command 'NOSUCHCOMMAND'")
    raises(lambda: r.execute_command("GET"), redis.ResponseError, "wrong number of arguments for 'get' command")


pool.disconnect()
finish("python")
