local cjson = require("cjson")
print(pcall(cjson.encode, {name = "redis", version = 7, tags = {"a", "b"}}))
