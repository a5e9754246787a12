local t = {"a", "b", "c"} t[5] = "e" t.x = "x"
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
