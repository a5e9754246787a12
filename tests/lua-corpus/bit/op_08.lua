local bit = require("bit")
print(pcall(function() return bit.bxor(5, 3) end))
