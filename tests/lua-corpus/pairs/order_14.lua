local t = {} t[1] = 1 t[3] = 3 t[2] = 2 t[4] = 4
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
