"""Socket-level helpers for the operations suite (tests/ops/run.sh).

  flood HOST PORT N          holds one control connection, reads maxclients, opens N more connections and
                             classifies them: prints "maxclients=M refused=R pong=P other=O"
  first-line HOST PORT       connects, sends nothing, prints the first line the server sends (or "<closed>"/"<none>")
  ping HOST PORT             sends PING, prints the reply line
  nonreader HOST PORT        stores a 100 KB value, then asks for it 600 times on a connection that never
                             reads; prints "closed" when the server drops that connection within 20 s, else "open"
  bigarg HOST PORT BYTES     sends SET of a BYTES-long value; prints "closed" when the server drops the
                             connection, else the reply line
  bigvalue HOST PORT BYTES   SET, GET (read whole) and DEL of a BYTES-long value; prints the three replies' heads
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


def connection_dropped(sock, seconds):
    """True when the peer closes or resets the connection within the time (pending bytes are discarded)."""
    sock.settimeout(1.0)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if not sock.recv(1 << 20):
                return True
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return True
    return False


def nonreader(host, port):
    control = socket.create_connection((host, port), timeout=5)
    command(control, "SET", "ops:v", "y" * 100_000)
    reply_line(control)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((host, port))
    get = b"*2\r\n$3\r\nGET\r\n$5\r\nops:v\r\n"
    try:
        for _ in range(60):
            s.sendall(get * 10)
    except (ConnectionResetError, BrokenPipeError):
        print("closed")
        return
    # Wait without reading much: the server must drop the connection, not keep queueing.
    time.sleep(0.5)
    print("closed" if connection_dropped(s, 20) else "open")


def bigarg(host, port, size):
    s = socket.create_connection((host, port), timeout=10)
    try:
        command(s, "SET", "ops:big", b"x" * size)
    except (ConnectionResetError, BrokenPipeError):
        print("closed")
        return
    line = reply_line(s)
    print("closed" if line in ("<closed>", "<reset>") else line)


def bigvalue(host, port, size):
    s = socket.create_connection((host, port), timeout=30)
    command(s, "SET", "ops:huge", b"z" * size)
    first = reply_line(s)
    command(s, "GET", "ops:huge")
    s.settimeout(30)
    want = len(b"$%d\r\n" % size) + size + 2
    got = b""
    while len(got) < want:
        chunk = s.recv(1 << 20)
        if not chunk:
            break
        got += chunk
    command(s, "DEL", "ops:huge")
    print(first, got[:1].decode(), len(got) == want, reply_line(s))


def main():
    what = sys.argv[1]
    host, port = sys.argv[2], int(sys.argv[3])
    if what == "flood":
        flood(host, port, int(sys.argv[4]))
    elif what == "nonreader":
        nonreader(host, port)
    elif what == "bigarg":
        bigarg(host, port, int(sys.argv[4]))
    elif what == "bigvalue":
        bigvalue(host, port, int(sys.argv[4]))
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
