local bit = require("bit")
print(pcall(function() return bit.band("3", 1) end))
