local v = 12345678901234
print(v)
print(tostring(v), v .. "")
io.write(v, "\n")
print(string.format("%.14g", v) == tostring(v))
