local bit = require("bit")
print(pcall(function() return bit.tobit(0/0) end))
