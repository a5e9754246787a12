local t = {} for i = 1, 5 do t[i] = i end t.a = 1 t.b = 2 for i = 6, 12 do t[i] = i end
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
