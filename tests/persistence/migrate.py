#!/usr/bin/python3
"""MIGRATE from one server to another (redis-server and Cinnabar, either way round): workload.py's data set (every
type and encoding, TTLs, 16 databases) moves key by key and with KEYS, with AUTH or AUTH2 to a target that has a
password, into another database, with COPY and REPLACE; each value must arrive with the same DEBUG DIGEST-VALUE and
its time to live, and the source must keep exactly what COPY or a refused key leaves.

Usage: migrate.py SOURCE_PORT TARGET_PORT TARGET_PASSWORD
Prints "ok NAME" / "FAIL NAME: why" lines.
"""
import sys

import redis

source_port, target_port, password = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
failures = 0


def check(name, condition, why=""):
    global failures
    if condition:
        print(f"ok   {name}")
    else:
        failures += 1
        print(f"FAIL {name}: {why}")


def source(n):
    return redis.Redis(host="127.0.0.1", port=source_port, db=n, socket_timeout=30)


def target(n):
    return redis.Redis(host="127.0.0.1", port=target_port, db=n, password=password, socket_timeout=30)


def snapshot(r):
    """Per key: (digest, whether it has a TTL, its PTTL)."""
    keys = sorted(r.keys("*"))
    if not keys:
        return {}
    digests = r.execute_command("DEBUG", "DIGEST-VALUE", *keys)
    return {k: (d, r.pttl(k)) for k, d in zip(keys, digests)}


def migrate(r, key, db, *options):
    try:
        return r.execute_command("MIGRATE", "127.0.0.1", target_port, key, db, 5000, *options)
    except redis.ResponseError as e:
        return "ERR: " + str(e)


def differences(before, after):
    """Digests equal; a TTL kept (no more than it was, at most 60 s less); no TTL stays none."""
    wrong = []
    for k, (digest, pttl) in before.items():
        if k not in after:
            wrong.append(f"{k!r} missing")
            continue
        digest2, pttl2 = after[k]
        if digest2 != digest:
            wrong.append(f"{k!r} digest {digest2} != {digest}")
        if (pttl < 0) != (pttl2 < 0) or (pttl >= 0 and not (pttl - 60000 <= pttl2 <= pttl)):
            wrong.append(f"{k!r} pttl {pttl2} (was {pttl})")
    if len(after) != len(before):
        wrong.append(f"{len(after)} keys, {len(before)} expected")
    return wrong


def same_values(name, before, after):
    wrong = differences(before, after)
    check(name, not wrong, "; ".join(wrong[:5]))


# Database 0 (every type and encoding): the first key alone with AUTH, the rest with KEYS and AUTH2.
db0 = snapshot(source(0))
keys0 = list(db0)
check("the source holds the workload", len(keys0) > 30, f"{len(keys0)} keys")
# A new link that has not authenticated: the target's NOAUTH is relayed and the key stays.
reply = migrate(source(0), keys0[0], 0)
check("no password relays NOAUTH", reply == "ERR: Target instance replied with error: NOAUTH Authentication required.", repr(reply))
check("the refused key stays at the source", source(0).exists(keys0[0]) == 1)
reply = migrate(source(0), keys0[0], 0, "AUTH", password)
check("MIGRATE key AUTH: +OK", reply == b"OK", repr(reply))
reply = migrate(source(0), "", 0, "AUTH2", "default", password, "KEYS", *keys0[1:], "no-such-key")
check("MIGRATE KEYS AUTH2 (every type): +OK", reply == b"OK", repr(reply))
same_values("database 0 arrived with the same digests and TTLs", db0, snapshot(target(0)))
check("the source's database 0 is empty", source(0).dbsize() == 0, f"{source(0).dbsize()} keys left")
reply = migrate(source(0), "", 0, "AUTH", password, "KEYS", "no-such-key")
check("MIGRATE of missing keys: +NOKEY", reply == b"NOKEY", repr(reply))

# Databases 1..15 go into the target's database 15 - n, with the cached link switching databases.
replies, arrived, emptied = [], [], []
for n in range(1, 16):
    before = snapshot(source(n))
    reply = migrate(source(n), "", 15 - n, "AUTH", password, "KEYS", *before) if before else b"OK"
    if reply != b"OK":
        replies.append(f"db {n}: {reply!r}")
    after = {k: v for k, v in snapshot(target(15 - n)).items() if k in before}
    wrong = differences(before, after)
    if wrong:
        arrived.append(f"db {n}: " + "; ".join(wrong[:3]))
    if source(n).dbsize() != 0:
        emptied.append(n)
check("databases 1..15 -> 14..0: +OK", not replies, "; ".join(replies))
check("databases 1..15 arrived with the same digests and TTLs", not arrived, " | ".join(arrived))
check("the source's databases 1..15 are empty", not emptied, f"databases {emptied}")

# COPY and REPLACE: new values over existing keys.
s = source(0)
s.set("s:short", "replaced")
s.rpush("l:small", "x", "y")
s.hset("h:new", mapping={"a": 1, "b": 2})
before = snapshot(s)
reply = migrate(s, "", 0, "AUTH", password, "KEYS", "s:short", "l:small", "h:new")
check("without REPLACE an existing key is refused with the target's error",
      reply == "ERR: Target instance replied with error: BUSYKEY Target key name already exists.", repr(reply))
check("the refused keys stay at the source, the new one moved", sorted(s.keys("*")) == [b"l:small", b"s:short"], repr(sorted(s.keys("*"))))
reply = migrate(s, "", 0, "COPY", "REPLACE", "AUTH", password, "KEYS", "s:short", "l:small")
check("MIGRATE COPY REPLACE: +OK", reply == b"OK", repr(reply))
same_values("COPY REPLACE overwrote the target's values", before, {k: v for k, v in snapshot(target(0)).items() if k in before})
check("COPY kept the source's keys", s.exists("s:short", "l:small") == 2)

# A wrong password: the target's error is relayed and the source keeps the key (the link stays authenticated
# from before, so the target restores it all the same, as with Redis).
reply = migrate(s, "s:short", 0, "REPLACE", "AUTH", "wrong")
check("a wrong password relays the target's error",
      reply == "ERR: Target instance replied with error: WRONGPASS invalid username-password pair or user is disabled.", repr(reply))
check("the source kept the key", s.exists("s:short") == 1)
info = s.info("stats")
check("the source reports a cached link", info.get("migrate_cached_sockets") == 1, repr(info.get("migrate_cached_sockets")))

sys.exit(1 if failures else 0)
