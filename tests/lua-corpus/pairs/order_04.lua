local t = {} for i = 10, 1, -1 do t[i] = i end
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
