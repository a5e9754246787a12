local t = {} for i = 1, 50 do t[i] = {k = i % 5, i = i} end
table.sort(t, function(a, b) return a.k < b.k end)
local o = {} for i = 1, 50 do o[i] = t[i].i end print(table.concat(o, " "))
