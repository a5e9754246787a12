"""What every redis-py interop script shares: where the server is, and the named-check bookkeeping.

Env: REDIS_HOST, REDIS_PORT, REDIS_PASSWORD. A script decorates each check with @check, then calls
finish("suite-name"), which prints "suite-name: N passed, M failed" and exits 1 when any check failed.
"""
import os
import sys
import traceback

HOST = os.environ.get("REDIS_HOST", "127.0.0.1")
PORT = int(os.environ.get("REDIS_PORT", "6379"))
PASSWORD = os.environ.get("REDIS_PASSWORD") or None

_counts = {"passed": 0, "failed": 0}


def check(fn):
    """Runs one named check; an exception or a failed assert counts as a failure."""
    try:
        fn()
        _counts["passed"] += 1
    except Exception:  # noqa: BLE001 - every failure is reported, none stops the run
        _counts["failed"] += 1
        print(f"FAIL {fn.__name__}:\n{traceback.format_exc()}", flush=True)
    return fn


def eq(actual, expected):
    assert actual == expected, f"expected {expected!r}, got {actual!r}"


def finish(suite):
    print(f"{suite}: {_counts['passed']} passed, {_counts['failed']} failed", flush=True)
    sys.exit(1 if _counts["failed"] else 0)
