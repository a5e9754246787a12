local t = {}
for i = 1, 10 do table.insert(t, i) end
table.insert(t, 1, 0)
table.remove(t, 5)
print(table.concat(t, " "), #t)
table.sort(t, function(a, b) return a % 3 < b % 3 or (a % 3 == b % 3 and a < b) end)
print(table.concat(t, " "))
print(table.maxn(t), select("#", unpack(t)))
local u = {n = 0}
for i = 1, 3 do u[#u + 1] = i end
print(#u, u.n)
