local bit = require("bit")
print(pcall(function() return bit.tohex(0x1234, 2) end))
