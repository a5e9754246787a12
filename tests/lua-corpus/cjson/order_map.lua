local cjson = require("cjson")
local t = {}
for _, k in ipairs{"user", "name", "email", "created_at", "id", "score", "tags", "x"} do t[k] = #k end
print(cjson.encode(t))
print(cjson.encode(cjson.decode('{"b":1,"a":2,"c":3,"d":4,"e":5}')))