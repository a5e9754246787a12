local t = {} t.name = "n" t.age = 3 t.city = "c" t.zip = "z" t.id = 1
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
