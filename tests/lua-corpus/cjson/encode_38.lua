local cjson = require("cjson")
print(pcall(cjson.encode, 123456789012345))
