local bit = require("bit")
print(pcall(function() return bit.band(0xff, 0x0f, 0x3) end))
