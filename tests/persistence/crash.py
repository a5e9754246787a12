#!/usr/bin/python3
"""Crash trials of the append-only file: a server under a write load from several clients is killed with
SIGKILL, started again on the same directory, and what it loaded is compared with what the clients had
acknowledged. Each restart is the next trial's server, so a trial costs one start.

Usage: crash.py SERVER_CMD_JSON DIR POLICY TRIALS
  SERVER_CMD_JSON: the command that starts the server, as a JSON list; "--port 0"-style servers log their port.
Prints one line per check ("ok ..." / "FAIL ...") and exits non-zero on any failure.
"""
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time

import redis

server_cmd = json.loads(sys.argv[1])
work_dir = sys.argv[2]
policy = sys.argv[3]
trials = int(sys.argv[4])
CLIENTS = 4
failures = 0


def report(ok, name, detail=""):
    global failures
    if not ok:
        failures += 1
    print(("ok   " if ok else "FAIL ") + name + (f": {detail}" if detail and not ok else ""), flush=True)


def start(log_path, extra=()):
    """Starts the server on work_dir; returns (process, port) once it accepts connections, or (process, None)."""
    log = open(log_path, "w")
    proc = subprocess.Popen(server_cmd + ["--dir", work_dir, "--appendonly", "yes", "--appendfsync", policy, *extra],
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while time.time() < deadline:
        text = open(log_path).read()
        m = re.search(r"Running mode=standalone, port=(\d+)\.", text)
        if m and "Ready to accept connections" in text:
            return proc, int(m.group(1))
        if proc.poll() is not None:
            return proc, None
        time.sleep(0.02)
    proc.kill()
    return proc, None


def writer(port, index, acked, stop, done, progress):
    """INCRs its own counter, and in a MULTI/EXEC two twin counters; remembers the last acknowledged values and
    wakes whoever waits on `progress` after each round (and when it ends)."""
    r = redis.Redis(host="127.0.0.1", port=port, socket_timeout=5)
    try:
        while not stop.is_set():
            acked[f"c:{index}"] = r.incr(f"c:{index}")
            with progress:
                done[index] += 1
                progress.notify_all()
            p = r.pipeline(transaction=True)
            p.incr(f"twin:{index}:a").incr(f"twin:{index}:b")
            a, _ = p.execute()
            acked[f"twin:{index}"] = a
            if a % 50 == 0:
                r.set(f"big:{index}", os.urandom(20000), ex=100000)
    except (redis.ConnectionError, redis.TimeoutError, ConnectionResetError, OSError):
        pass
    finally:
        with progress:
            progress.notify_all()  # the waiter looks again, and finds this writer gone


def run_load(port, writes):
    """Several clients write until the server is killed once they have `writes` acknowledged writes between them
    (a count, not a time: a slow machine gets the same amount of work before the kill); returns what each had
    acknowledged."""
    acked = [dict() for _ in range(CLIENTS)]
    done = [0] * CLIENTS
    stop = threading.Event()
    progress = threading.Condition()
    threads = [threading.Thread(target=writer, args=(port, i, acked[i], stop, done, progress)) for i in range(CLIENTS)]
    for t in threads:
        t.start()

    def until_acknowledged(count):
        # A writer that ends notifies before its thread is gone, so the condition is looked at again within
        # the 0.5 s wait; the 60 s bound is for a server that stops answering.
        deadline = time.time() + 60
        with progress:
            while sum(done) < count and time.time() < deadline and any(t.is_alive() for t in threads):
                progress.wait(0.5)

    # Every other trial also starts an AOF rewrite, so some kills land while one runs.
    if random.random() < 0.5:
        until_acknowledged(writes // 2)
        try:
            redis.Redis(host="127.0.0.1", port=port, socket_timeout=5).bgrewriteaof()
        except redis.ResponseError:
            pass
    until_acknowledged(writes)
    return acked, stop, threads


def check(port, acked, baseline, trial, started_at, killed_at):
    """Compares what the restarted server loaded with what was acknowledged; returns the loaded counters."""
    r = redis.Redis(host="127.0.0.1", port=port, socket_timeout=5)
    lost = []
    phantom = []
    loaded = {}
    for seen in acked:
        for name, value in seen.items():
            if name.startswith("twin:"):
                a = int(r.get(f"{name}:a") or 0)
                b = int(r.get(f"{name}:b") or 0)
                if a != b:
                    phantom.append(f"{name} half-applied transaction a={a} b={b}")
                got = a
            else:
                got = int(r.get(name) or 0)
            loaded[name] = got
            if got < value:
                lost.append((name, value - got))
            if got > value + 1:
                phantom.append(f"{name}={got} but only {value}+1 were sent")
    # Writes acknowledged in this trial (each client's own counter; its twins move with it).
    written = sum(v - baseline.get(k, 0) for seen in acked for k, v in seen.items() if k.startswith("c:"))
    if policy == "always":
        report(not lost and not phantom, f"{policy} trial {trial}: every acknowledged write loaded ({written} acknowledged)",
               f"lost {lost} {phantom}")
    else:
        # everysec promises at most about a second of writes lost on a crash of the machine (a killed process
        # loses none of what was written before its reply).
        rate = written / max(0.001, killed_at - started_at)
        lost_writes = sum(n for k, n in lost if k.startswith("c:"))
        report(lost_writes <= rate + CLIENTS and not phantom,
               f"{policy} trial {trial}: at most about a second of writes lost ({lost_writes} lost of {written})",
               f"lost {lost} {phantom}")
    return loaded


def main():
    log_dir = os.path.join(work_dir, "..")
    proc, port = start(os.path.join(log_dir, f"crash-{policy}-0.log"))
    report(port is not None, f"{policy}: the server starts with an empty AOF directory")
    if port is None:
        return
    baseline = {}
    for trial in range(1, trials + 1):
        started_at = time.time()
        acked, stop, threads = run_load(port, random.randint(300, 3000))
        killed_at = time.time()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        stop.set()
        for t in threads:
            t.join()
        proc, port = start(os.path.join(log_dir, f"crash-{policy}-{trial}.log"))
        if port is None:
            report(False, f"{policy} trial {trial}: the restart loads", open(os.path.join(log_dir, f"crash-{policy}-{trial}.log")).read()[-2000:])
            return
        baseline = check(port, acked, baseline, trial, started_at, killed_at)
    proc.send_signal(signal.SIGTERM)
    proc.wait()


main()
sys.exit(1 if failures else 0)
