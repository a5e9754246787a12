local mt = {__eq = function(a, b) return true end}
local a, b = setmetatable({}, mt), setmetatable({}, mt)
print(a == b, a ~= b, a == {})
local c = setmetatable({}, {__eq = function() return true end})
print(a == c)
