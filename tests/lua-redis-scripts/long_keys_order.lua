local t = {}
for i = 1, 12 do t["a_rather_long_key_name_for_testing_" .. i] = i end
local out = {} for k in pairs(t) do out[#out + 1] = k end
return table.concat(out, ",")
