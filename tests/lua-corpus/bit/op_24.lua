local bit = require("bit")
print(pcall(function() return bit.lshift(3, -1) end))
