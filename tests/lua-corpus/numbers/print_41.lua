local v = 0.30000000000000004
print(v)
print(tostring(v), v .. "")
io.write(v, "\n")
print(string.format("%.14g", v) == tostring(v))
