local n = 12
print(pcall(function() return n:rep(2) end))
print(("x"):len(), ("abc"):upper())
print(getmetatable("").__index == string)
