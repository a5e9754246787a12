local bit = require("bit")
print(pcall(function() return bit.tohex(255) end))
