"""Socket-level helpers for the operations suite (tests/ops/run.sh).

  flood HOST PORT N          holds one control connection, reads maxclients, opens N more connections and
                             classifies them: prints "maxclients=M refused=R pong=P other=O"
  first-line HOST PORT       connects, sends nothing, prints the first line the server sends (or "<closed>"/"<none>")
  ping HOST PORT             sends PING, prints the reply line
"""
import select
import socket
import sys
import time


def reply_line(sock, timeout=5.0):
    sock.settimeout(timeout)
    data = b""
    try:
        while not data.endswith(b"\r\n"):
            chunk = sock.recv(65536)
            if not chunk:
                return "<closed>" if not data else data.decode(errors="replace")
            data += chunk
    except socket.timeout:
        return "<none>" if not data else data.decode(errors="replace")
    except ConnectionResetError:
        return "<reset>" if not data else data.decode(errors="replace")
    return data[:-2].decode(errors="replace")


def command(sock, *args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a.encode() if isinstance(a, str) else a
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    sock.sendall(out)


def flood(host, port, n):
    control = socket.create_connection((host, port), timeout=5)
    command(control, "CONFIG", "GET", "maxclients")
    control.settimeout(5)
    raw = b""
    while raw.count(b"\r\n") < 5:
        raw += control.recv(4096)
    maxclients = int(raw.split(b"\r\n")[4])
    socks = [socket.create_connection((host, port), timeout=5) for _ in range(n)]
    expected_refused = n - (maxclients - 1)
    # The refused ones are told at once and closed; the admitted ones hear nothing until they speak.
    readable = set()
    deadline = time.monotonic() + 30
    while len(readable) < expected_refused and time.monotonic() < deadline:
        ready, _, _ = select.select([s for s in socks if s not in readable], [], [], 1.0)
        readable.update(ready)
    refused = other = pong = 0
    for s in socks:
        if s in readable:
            line = reply_line(s)
            if line == "-ERR max number of clients reached":
                refused += 1
            else:
                other += 1
                print("unexpected:", line, file=sys.stderr)
        else:
            command(s, "PING")
            line = reply_line(s)
            if line == "+PONG":
                pong += 1
            else:
                other += 1
                print("unexpected:", line, file=sys.stderr)
    for s in socks:
        s.close()
    command(control, "PING")
    alive = reply_line(control)
    print(f"maxclients={maxclients} refused={refused} pong={pong} other={other} control={alive}")


def main():
    what = sys.argv[1]
    host, port = sys.argv[2], int(sys.argv[3])
    if what == "flood":
        flood(host, port, int(sys.argv[4]))
    elif what == "first-line":
        s = socket.create_connection((host, port), timeout=5)
        print(reply_line(s, 3.0))
    elif what == "ping":
        s = socket.create_connection((host, port), timeout=5)
        command(s, "PING")
        print(reply_line(s))
    else:
        sys.exit(f"unknown helper {what}")


if __name__ == "__main__":
    main()
