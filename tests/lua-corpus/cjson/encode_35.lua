local cjson = require("cjson")
print(pcall(cjson.encode, {100, 200, [3] = 300, [5] = 500}))
