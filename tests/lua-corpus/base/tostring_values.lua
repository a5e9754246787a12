print(tostring(nil), tostring(true), tostring(false), tostring(12), tostring(1.25), tostring("x"))
print(tostring(setmetatable({}, {__tostring = function() return "custom" end})))
print(pcall(tostring))
