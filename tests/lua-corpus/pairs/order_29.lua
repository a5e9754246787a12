local t = {} for i = 1, 7 do t[i * 1000] = i end
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
