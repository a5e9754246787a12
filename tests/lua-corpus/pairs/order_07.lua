local t = {[true]=1, [false]=2, x=3}
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
