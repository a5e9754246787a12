local t = setmetatable({1, 2}, {__len = function() return 10 end})
print(#t, table.getn(t))
