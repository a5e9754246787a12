local cjson = require("cjson")
print(pcall(cjson.encode, {"\226\130\172"}))
