local cjson = require("cjson")
local v = cjson.decode('{"x":null,"arr":[null,1]}')
print(v.x == cjson.null, type(v.x), v.arr[1] == cjson.null, #v.arr)
print(cjson.encode(v.arr))
local t = {id = 5, list = {1, 2, 3}, nested = {k = "v"}}
local back = cjson.decode(cjson.encode(t))
print(back.id, back.list[3], back.nested.k)
print(tostring(cjson.null), cjson._NAME, cjson._VERSION)