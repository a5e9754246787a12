local cjson = require("cjson")
print(pcall(cjson.encode, {[1] = 1, [2] = 2, [4] = 4}))
