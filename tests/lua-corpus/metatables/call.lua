local t = setmetatable({}, {__call = function(self, a, b) return a + b end})
print(t(2, 3))
print(pcall(setmetatable({}, {}), 1))
