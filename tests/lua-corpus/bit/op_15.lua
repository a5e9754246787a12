local bit = require("bit")
print(pcall(function() return bit.bswap(0x12345678) end))
