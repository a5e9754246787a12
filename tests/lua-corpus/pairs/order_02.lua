local t = {10, 20, 30, a="x", b="y"}
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
