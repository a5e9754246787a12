local bit = require("bit")
print(pcall(function() return bit.tobit(1.5) end))
