local cjson = require("cjson")
print(pcall(cjson.encode, 1e16))
