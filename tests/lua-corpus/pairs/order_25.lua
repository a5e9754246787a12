local t = {[1]=1, [2]=2, [3]=3, [5]=5, [8]=8, [13]=13, [21]=21}
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
