local cjson = require("cjson")
print(pcall(cjson.encode, {n = 1e300}))
