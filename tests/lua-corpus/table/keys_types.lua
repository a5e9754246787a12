local t = {}
t[1] = "int" t[1.5] = "float" t["1"] = "str" t[true] = "bool"
print(t[1], t[1.0], t[1.5], t["1"], t[true], t[false])
print(pcall(function() t[nil] = 1 end))
print(pcall(function() t[0/0] = 1 end))
print(t[nil])
