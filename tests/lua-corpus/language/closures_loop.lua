local fs = {}
for i = 1, 3 do fs[i] = function() return i end end
print(fs[1](), fs[2](), fs[3]())
local gs = {}
local j = 0
while j < 3 do j = j + 1 local k = j gs[j] = function() return k end end
print(gs[1](), gs[2](), gs[3]())
