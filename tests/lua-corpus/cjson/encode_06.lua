local cjson = require("cjson")
print(pcall(cjson.encode, 1.5))
