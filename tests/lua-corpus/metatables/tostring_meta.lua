local t = setmetatable({}, {__tostring = function(t) return "I am t" end})
print(t, tostring(t))
