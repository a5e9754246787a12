local t = {}
setmetatable(t, {__index = t})
print(pcall(function() return t.x end))
