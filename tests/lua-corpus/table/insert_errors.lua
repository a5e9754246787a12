print(pcall(table.insert))
print(pcall(table.insert, nil, 1))
print(pcall(table.insert, {}, 1, 2, 3))
print(pcall(table.insert, {}))
local t = {1,2,3}
table.insert(t, 10, "x")
print(#t, t[10])
