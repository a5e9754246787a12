local bit = require("bit")
print(pcall(function() return bit.bnot(0) end))
