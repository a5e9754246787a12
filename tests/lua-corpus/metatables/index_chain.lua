local a = {v = "a"}
local b = setmetatable({}, {__index = a})
local c = setmetatable({}, {__index = b})
print(c.v)
