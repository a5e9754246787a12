#!/usr/bin/python3
"""Scripts as applications run them through redis-py: the token bucket loaded once with script_load and
run with evalsha (HMGET/HMSET/EXPIRE, math.min, math.ceil), register_script's NOSCRIPT fallback, the lock
release by compare-and-delete with eval, and a function library through function_load and fcall.
Expected values are what Redis 7.0.15 answers for the same calls (INTEROP_TARGET=redis runs them there).

Env: REDIS_HOST, REDIS_PORT, REDIS_PASSWORD. Closing line "python-scripts: N passed, M failed".
"""
import redis

from interop_checks import HOST, PORT, PASSWORD, check, eq, finish  # noqa: E402

r = redis.Redis(host=HOST, port=PORT, password=PASSWORD, decode_responses=True, socket_timeout=10)

TOKEN_BUCKET = """
local key = KEYS[1]
local capacity = tonumber(ARGV[1])
local refill_per_sec = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local state = redis.call('HMGET', key, 'tokens', 'ts')
local tokens = tonumber(state[1]) or capacity
local ts = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + (now - ts) * refill_per_sec)
local allowed = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
end
redis.call('HMSET', key, 'tokens', tokens, 'ts', now)
redis.call('EXPIRE', key, math.ceil(capacity / refill_per_sec) * 2)
return {allowed, tostring(tokens)}
"""

RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
else
  return 0
end
"""


@check
def flushall_at_start():
    eq(r.flushall(), True)
    eq(r.script_flush(), True)
    eq(r.function_flush(), True)


@check
def token_bucket_through_script_load_and_evalsha():
    sha = r.script_load(TOKEN_BUCKET)
    eq(sha, "cbbebb93b1b5cc3eee7bc2999abf6a735707b5fe")
    eq(r.script_exists(sha, "0" * 40), [True, False])
    replies = [r.evalsha(sha, 1, "bucket:alice", 5, 1, 1000, 2) for _ in range(4)]
    eq(replies, [[1, "3"], [1, "1"], [0, "1"], [0, "1"]])
    # Two seconds later two tokens came back; a fractional refill keeps its fraction.
    eq(r.evalsha(sha, 1, "bucket:alice", 5, 1, 1002, 2), [1, "1"])
    eq(r.evalsha(sha, 1, "bucket:alice", 5, 1, 1002.5, 1), [1, "0.5"])
    eq(r.hgetall("bucket:alice"), {"tokens": "0.5", "ts": "1002.5"})
    eq(r.ttl("bucket:alice"), 10)


@check
def register_script_reloads_after_flush():
    bucket = r.register_script(TOKEN_BUCKET)
    eq(bucket(keys=["bucket:bob"], args=[3, 1, 50, 1]), [1, "2"])
    r.script_flush()
    # redis-py's Script sees NOSCRIPT from EVALSHA and loads the script again.
    eq(bucket(keys=["bucket:bob"], args=[3, 1, 50, 1]), [1, "1"])
    try:
        r.evalsha("f" * 40, 0)
        raise AssertionError("EVALSHA of an unknown script succeeded")
    except redis.exceptions.NoScriptError as e:
        eq(str(e), "No matching script. Please use EVAL.")


@check
def lock_release_compares_owner_then_deletes():
    eq(r.set("lock:report", "owner-1", nx=True, px=30000), True)
    eq(r.set("lock:report", "owner-2", nx=True, px=30000), None)
    eq(r.eval(RELEASE, 1, "lock:report", "owner-2"), 0)
    eq(r.get("lock:report"), "owner-1")
    eq(r.eval(RELEASE, 1, "lock:report", "owner-1"), 1)
    eq(r.exists("lock:report"), 0)
    eq(r.eval(RELEASE, 1, "lock:report", "owner-1"), 0)


@check
def redis_py_lock_uses_its_scripts():
    # redis-py's Lock releases, extends and reacquires through its own Lua scripts.
    lock = r.lock("lock:builtin", timeout=30)
    eq(lock.acquire(blocking=False), True)
    eq(r.lock("lock:builtin", timeout=30).acquire(blocking=False), False)
    eq(lock.extend(10), True)
    assert 30 < r.ttl("lock:builtin") <= 40, r.ttl("lock:builtin")
    lock.release()
    eq(r.exists("lock:builtin"), 0)
    try:
        lock.release()
        raise AssertionError("releasing a released lock succeeded")
    except redis.exceptions.LockError:
        pass


@check
def script_errors_reach_the_client():
    r.set("text", "abc")
    try:
        r.eval("return redis.call('incr', KEYS[1])", 1, "text")
        raise AssertionError("INCR of a string succeeded")
    except redis.exceptions.ResponseError as e:
        eq(str(e), "value is not an integer or out of range script: 2bab3b661081db58bd2341920e0ba7cf5dc77b25, on @user_script:1.")


@check
def functions_through_function_load_and_fcall():
    library = ("#!lua name=counters\n"
               "redis.register_function('bump', function(keys, args) return redis.call('INCRBY', keys[1], args[1]) end)\n"
               "redis.register_function{function_name='peek', callback=function(keys) return redis.call('GET', keys[1]) end,"
               " flags={'no-writes'}}")
    eq(r.function_load(library), "counters")
    eq(r.fcall("bump", 1, "hits", 5), 5)
    eq(r.fcall("bump", 1, "hits", 2), 7)
    eq(r.fcall_ro("peek", 1, "hits"), "7")
    # RESP2 maps arrive as flat lists: name, value, name, value...
    listed = [dict(zip(entry[::2], entry[1::2])) for entry in r.function_list(library="count*")]
    eq([(entry["library_name"], sorted(dict(zip(f[::2], f[1::2]))["name"] for f in entry["functions"])) for entry in listed],
       [("counters", ["bump", "peek"])])
    dump = r.function_dump()
    eq(r.function_flush(), True)
    eq(r.function_restore(dump), True)
    eq(r.fcall_ro("peek", 1, "hits"), "7")
    try:
        r.fcall_ro("bump", 1, "hits", 1)
        raise AssertionError("FCALL_RO ran a writing function")
    except redis.exceptions.ResponseError as e:
        eq(str(e), "Can not execute a script with write flag using *_ro command.")


finish("python-scripts")
