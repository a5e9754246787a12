print(pcall(table.sort, {3, "a", 1}))
print(pcall(table.sort, {1,2,3}, 5))
print(pcall(table.sort))
local t = {} for i = 1, 20 do t[i] = (i * 7) % 13 end
print(pcall(table.sort, t, function(a, b) return true end))
