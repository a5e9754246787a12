local v = 0.1
print(v)
print(tostring(v), v .. "")
io.write(v, "\n")
print(string.format("%.14g", v) == tostring(v))
