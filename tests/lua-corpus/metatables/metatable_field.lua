local t = setmetatable({}, {__metatable = false})
print(getmetatable(t))
