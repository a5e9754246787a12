local bit = require("bit")
print(pcall(function() return bit.ror(0x12345678, 8) end))
