local cjson = require("cjson")
print(pcall(cjson.encode, {}))
