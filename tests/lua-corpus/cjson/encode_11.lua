local cjson = require("cjson")
print(pcall(cjson.encode, 2^53))
