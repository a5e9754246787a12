local t = {10, 20, 30}
table.foreachi(t, function(i, v) print(i, v) end)
print(table.foreachi(t, function(i, v) if v == 20 then return "found" end end))
local n = 0 table.foreach({a=1, b=2}, function(k, v) n = n + v end) print(n)
