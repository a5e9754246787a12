local base = {x = 1}
local t = setmetatable({}, {__index = base})
print(t.x, t.y, rawget(t, "x"))
