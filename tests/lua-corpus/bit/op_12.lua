local bit = require("bit")
print(pcall(function() return bit.arshift(-256, 4) end))
