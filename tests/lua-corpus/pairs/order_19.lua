local t = {} for i = 1, 50 do t[tostring(i)] = i end for i = 1, 50, 2 do t[tostring(i)] = nil end
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
