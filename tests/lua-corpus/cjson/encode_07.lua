local cjson = require("cjson")
print(pcall(cjson.encode, -0.0))
