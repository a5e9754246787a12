import random
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario_gen import *
T = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "Cinnabar.Tests", "Integration", "")
random.seed(5)
al = ["a","b","c","x","\\xff","\\x00","\\x0f","\\x80","\\x01"]
def rs(n):
    mode = random.random()
    if mode < 0.3: return "\\xff"*n
    if mode < 0.5: return "\\x00"*n
    return "".join(random.choice(al) for _ in range(n))
def q(s): return '"' + s + '"'
def script(steps):
    out = []
    for t in range(steps):
        k = random.choice(["a","b","c"])
        r = random.random()
        ri = lambda: random.choice([random.randint(-300,300), random.randint(-40,40), 0, -1])
        if r < 0.1: out.append(f"set {k} {q(rs(random.randint(0,40)))}")
        elif r < 0.15: out.append(f"setrange {k} {random.randint(0,50)} {q(rs(random.randint(0,4)))}")
        elif r < 0.2: out.append(f"append {k} {q(rs(random.randint(0,20)))}")
        elif r < 0.28: out.append(f"setbit {k} {random.randint(0,320)} {random.randint(0,1)}")
        elif r < 0.45:
            extra = random.choice(["", " byte", " bit", " BIT"])
            out.append(f"bitcount {k} {ri()} {ri()}{extra}" if random.random()<0.8 else f"bitcount {k}")
        elif r < 0.65:
            n = random.choice([0,1,2,3,3,3])
            args = [str(ri()) for _ in range(min(n,2))]
            if n == 3: args.append(random.choice(["byte","bit"]))
            out.append(f"bitpos {k} {random.randint(0,1)} " + " ".join(args))
        elif r < 0.7:
            op = random.choice(["and","or","xor","not"])
            srcs = [random.choice(["a","b","c","nokey"]) for _ in range(1 if op=="not" else random.randint(1,3))]
            out.append(f"bitop {op} {random.choice(['d','a'])} " + " ".join(srcs)); out.append("get d")
        elif r < 0.8:
            ops = []
            for _ in range(random.randint(1,4)):
                c = random.random()
                ty = random.choice(["i","u"]) + str(random.choice([1,2,3,5,7,8,9,13,16,31,32,33,63,64]))
                off = random.choice([str(random.randint(0,300)), "#"+str(random.randint(0,5))])
                v = random.choice([random.randint(-300,300), random.randint(-2**63, 2**63-1), 2**63-1, -2**63])
                if c < 0.3: ops.append(f"get {ty} {off}")
                elif c < 0.55: ops.append(f"set {ty} {off} {v}")
                elif c < 0.85: ops.append(f"incrby {ty} {off} {v}")
                else: ops.append(f"overflow {random.choice(['wrap','sat','fail'])}")
            out.append(f"bitfield {k} " + " ".join(ops))
        else:
            out.append(f"getrange {k} {ri()} {ri()}")
        if t % 4 == 3: out.append(f"get {k}")
    return "\n".join(out)
gen_file(T + "StringBitReplayTests.cs", "StringBitReplayTests",
  "Long random sequences of bit and range commands on binary values, replayed with real Redis's replies.",
  [("RandomSequence%d" % i, "Random sequence %d (seeded generator)." % i, script(110)) for i in range(1, 4)])
