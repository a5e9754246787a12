local mt = {__add = function(a, b) return 99 end}
local t = setmetatable({}, mt)
print("10" + t, t + "x")
