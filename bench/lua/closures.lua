local function make(k) local c = 0 return function(x) c = c + x * k return c end end
local fs = {} for i = 1, 100 do fs[i] = make(i) end
local sum = 0
for j = 1, 60000 do for i = 1, 100 do sum = sum + fs[i](1) % 7 end end
print(sum)
