local bit = require("bit")
print(pcall(function() return bit.band() end))
