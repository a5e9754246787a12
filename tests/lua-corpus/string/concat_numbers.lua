print(1 .. 2, 1.5 .. "", -0.0 .. "", 1e100 .. "", 2^63 .. "")
local t = {} for i = 1, 5 do t[#t+1] = i .. "" end print(table.concat(t, "+"))
