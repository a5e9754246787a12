local t = {} local long = string.rep("long_key_", 5) for i = 1, 6 do t[long .. i] = i end
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
