print(pcall(function() return "a" .. nil end))
print(pcall(function() local t = {} return t .. "x" end))
print(pcall(function() return 1 .. {} end))
print(pcall(function() return true .. "" end))
