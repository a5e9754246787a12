local n = 0
for j = 1, 60 do local s = "" for i = 1, 3000 do s = s .. "x" end n = n + #s end
local parts = {} for i = 1, 400000 do parts[#parts + 1] = "item" .. i end
print(n, #table.concat(parts, ","))
