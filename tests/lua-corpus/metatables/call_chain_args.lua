local t = setmetatable({}, {__call = function(self, ...) return select("#", ...), ... end})
print(t(1, nil, 3))
