local bit = require("bit")
print(pcall(function() return bit.rshift(-1, 28) end))
