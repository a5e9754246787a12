local cjson = require("cjson")
print(pcall(cjson.encode, "\0\1\31\127\128\255"))
