local t = {x=1, y=2, z=3, w=4, v=5}
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
