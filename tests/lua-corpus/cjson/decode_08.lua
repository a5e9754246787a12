local cjson = require("cjson")
local ok, v = pcall(cjson.decode, ""\\u0041\\u00e9\\u20ac\\ud83d\\ude00"")
print(ok, type(v))
if ok and type(v) == "table" then print(cjson.encode(v)) elseif ok then print(v) else print(v) end
