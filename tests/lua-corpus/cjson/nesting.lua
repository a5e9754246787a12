local cjson = require("cjson")
local t = {} local c = t for i = 1, 1100 do c[1] = {} c = c[1] end
print(pcall(cjson.encode, t))
print(pcall(cjson.decode, string.rep("[", 1100)))
local a = {} a[1] = a
print(pcall(cjson.encode, a))