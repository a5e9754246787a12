local bit = require("bit")
print(pcall(function() return bit.bor(2^53, 1) end))
