local cjson = require("cjson")
print(pcall(cjson.encode, "a\"b\\c/d\n\t\r\b\f"))
