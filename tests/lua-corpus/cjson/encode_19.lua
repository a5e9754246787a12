local cjson = require("cjson")
print(pcall(cjson.encode, {x = 1, y = 2, z = 3, [1] = "one"}))
