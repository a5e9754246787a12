local bit = require("bit")
print(pcall(function() return bit.lshift(1, 31) end))
