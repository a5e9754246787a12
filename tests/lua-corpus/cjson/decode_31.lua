local cjson = require("cjson")
local ok, v = pcall(cjson.decode, ""\\u00"")
print(ok, type(v))
if ok and type(v) == "table" then print(cjson.encode(v)) elseif ok then print(v) else print(v) end
