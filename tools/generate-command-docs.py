#!/usr/bin/env python3
"""Regenerates src/Cinnabar/Commands/command-docs.json from a running real Redis (the oracle).

commands.json (the 7.2 reference) carries arity, flags and key specs but no summaries, complexity,
history, command tips or key-spec notes; COMMAND DOCS / COMMAND INFO need them, so they are taken from
the oracle's own COMMAND DOCS and COMMAND INFO replies.

usage: tools/generate-command-docs.py PORT > src/Cinnabar/Commands/command-docs.json
"""
import json, socket, sys


class Resp3:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.buf = b""

    def call(self, *args):
        msg = b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a.encode()) for a in args)
        self.s.sendall(msg)
        return self.read()

    def line(self):
        while b"\r\n" not in self.buf:
            self.buf += self.s.recv(1 << 20)
        l, self.buf = self.buf.split(b"\r\n", 1)
        return l.decode()

    def exact(self, n):
        while len(self.buf) < n + 2:
            self.buf += self.s.recv(1 << 20)
        d, self.buf = self.buf[:n], self.buf[n + 2:]
        return d.decode()

    def read(self):
        l = self.line()
        t, rest = l[0], l[1:]
        if t in "+-":
            return rest
        if t == ":":
            return int(rest)
        if t == "$":
            return self.exact(int(rest))
        if t == "_":
            return None
        if t in "*~":
            return [self.read() for _ in range(int(rest))]
        if t == "%":
            d = {}
            for _ in range(int(rest)):
                k = self.read()
                d[k] = self.read()
            return d
        raise ValueError(l)


def main():
    r = Resp3(int(sys.argv[1]))
    r.call("HELLO", "3")
    docs = r.call("COMMAND", "DOCS")
    tips, notes = {}, {}

    def walk(info):
        name, specs, tip = info[0], info[8], info[7]
        if tip:
            tips[name] = tip
        spec_notes = [s.get("notes", "") for s in specs]
        if any(spec_notes):
            notes[name] = spec_notes
        for sub in info[9] or []:
            walk(sub)

    for info in r.call("COMMAND", "INFO"):
        walk(info)
    out = {"docs": dict(sorted(docs.items())), "tips": dict(sorted(tips.items())), "notes": dict(sorted(notes.items()))}
    json.dump(out, sys.stdout, separators=(",", ":"), ensure_ascii=False)


main()
