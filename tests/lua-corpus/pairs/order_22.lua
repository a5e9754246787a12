local t = {} for i = 1, 64 do t[i] = i end for i = 1, 64, 3 do t[i] = nil end
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
