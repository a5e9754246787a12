local bit = require("bit")
print(pcall(function() return bit.tohex(1, 20) end))
