local t = {} local x = 1
for i = 1, 200000 do x = (x * 1103515245 + 12345) % 2147483648 table.insert(t, x % 100000) end
table.sort(t)
table.sort(t, function(a, b) return a > b end)
print(t[1], t[#t])
