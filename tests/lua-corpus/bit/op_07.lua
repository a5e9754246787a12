local bit = require("bit")
print(pcall(function() return bit.bor(1, 2, 4) end))
