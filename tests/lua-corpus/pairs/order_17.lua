local t = {} t[-0.5] = 1 t[2^40] = 2 t[1e100] = 3 t[-2^31] = 4 t[7] = 5
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
