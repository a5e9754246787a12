local mt = {__lt = function(a, b) return a.v < b.v end, __le = function(a, b) return a.v <= b.v end}
local a, b = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
print(a < b, a > b, a <= b, a >= b)
local m2 = {__lt = function(a, b) return a.v < b.v end}
local c, d = setmetatable({v = 1}, m2), setmetatable({v = 1}, m2)
print(c <= d)
