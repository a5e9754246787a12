local v = 123456789012345
print(v)
print(tostring(v), v .. "")
io.write(v, "\n")
print(string.format("%.14g", v) == tostring(v))
