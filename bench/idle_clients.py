#!/usr/bin/env python3
"""Holds many idle client connections to a Redis-protocol server, for bench/connections.sh.

usage: idle_clients.py PORT COUNT
Opens COUNT connections to 127.0.0.1:PORT, sends one PING on each and waits for every +PONG, then prints
"ready" and obeys lines on stdin:
  probe MAXCLIENTS   sets maxclients to the number of connections held (through the first of them), opens
                     one more connection, prints the first line the server sent it ("refused: <line>"), then
                     sets maxclients back to MAXCLIENTS
  close              closes every connection and exits
"""
import selectors
import socket
import sys


def command(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a.encode() if isinstance(a, str) else a
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


def read_line(sock):
    data = b""
    while not data.endswith(b"\r\n"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace").rstrip("\r\n")


def open_all(port, count):
    sel = selectors.DefaultSelector()
    socks = []
    # Connect in waves so the listen backlog never overflows (a dropped SYN costs a 1 s retransmit).
    wave = 500
    for first in range(0, count, wave):
        pending = {}
        for _ in range(min(wave, count - first)):
            s = socket.create_connection(("127.0.0.1", port))
            s.setblocking(False)
            s.sendall(b"*1\r\n$4\r\nPING\r\n")
            socks.append(s)
            pending[s] = b""
            sel.register(s, selectors.EVENT_READ)
        while pending:
            for key, _ in sel.select(timeout=30):
                s = key.fileobj
                chunk = s.recv(64)
                if not chunk:
                    sys.exit("connection closed before +PONG")
                pending[s] += chunk
                if pending[s].endswith(b"\r\n"):
                    if pending[s] != b"+PONG\r\n":
                        sys.exit("unexpected reply: %r" % pending[s])
                    del pending[s]
                    sel.unregister(s)
    return socks


def main():
    port, count = int(sys.argv[1]), int(sys.argv[2])
    socks = open_all(port, count)
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "probe":
            first = socks[0]
            first.setblocking(True)
            first.sendall(command("CONFIG", "SET", "maxclients", str(count)))
            ok = read_line(first)
            extra = socket.create_connection(("127.0.0.1", port))
            extra.settimeout(10)
            refused = read_line(extra)
            extra.close()
            first.sendall(command("CONFIG", "SET", "maxclients", words[1]))
            restored = read_line(first)
            print("refused: %s (config set: %s, %s)" % (refused, ok, restored), flush=True)
        elif words[0] == "close":
            break
    for s in socks:
        s.close()


if __name__ == "__main__":
    main()
