local t = {a = {b = {c = 42}}}
print(t.a.b.c, t["a"]["b"]["c"])
t.a.b.d = t.a
print(t.a.b.d.b.c)
