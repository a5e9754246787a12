local t = {"x"} for i = 1, 8 do t["f" .. i] = i end table.insert(t, "y")
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
