local t = setmetatable({}, {}) t.m = 1 t.n = 2
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
