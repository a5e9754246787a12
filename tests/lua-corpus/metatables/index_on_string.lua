print(type(("abc").len), ("abc"):len())
local mt = getmetatable("")
mt.__index = function(s, k) return k end
print(("x").foo)
