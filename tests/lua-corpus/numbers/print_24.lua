local v = 1.7976931348623157e308
print(v)
print(tostring(v), v .. "")
io.write(v, "\n")
print(string.format("%.14g", v) == tostring(v))
