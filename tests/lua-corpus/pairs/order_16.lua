local t = {} for i = 1, 16 do t[string.char(64 + i)] = i end
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
