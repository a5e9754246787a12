local cjson = require("cjson")
print(pcall(cjson.encode, {[11] = 1}))
