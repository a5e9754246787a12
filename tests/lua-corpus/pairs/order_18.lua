local t = {a=1} t.a = nil t.b = 2 t.c = 3 t.a = 4
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
