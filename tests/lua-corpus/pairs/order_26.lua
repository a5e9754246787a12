local t = {} t.z = 1 t.y = 2 t.x = 3 t.w = 4 t.v = 5 t.u = 6 t.t = 7 t.s = 8 t.r = 9
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
