local bit = require("bit")
print(pcall(function() return bit.tobit(2.5) end))
