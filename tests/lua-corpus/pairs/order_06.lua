local t = {[1.5]=1, [2.5]=2, [-1]=3, [0]=4, [100]=5}
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
