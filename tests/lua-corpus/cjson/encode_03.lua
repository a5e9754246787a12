local cjson = require("cjson")
print(pcall(cjson.encode, {a = {b = {1, "x", true, false}}}))
