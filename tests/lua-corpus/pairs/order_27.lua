local t = {} for i = 1, 10 do t[i] = true end t[11] = false t.flag = true
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
