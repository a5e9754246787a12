local cjson = require("cjson")
local doc = {id = 12345, name = "widget", tags = {"a", "b", "c"}, price = 9.99, stock = {warehouse = 12, shop = 3}, active = true}
local n = 0
for i = 1, 60000 do
  local s = cjson.encode(doc)
  local back = cjson.decode(s)
  n = n + back.stock.warehouse + #s
end
print(n)
