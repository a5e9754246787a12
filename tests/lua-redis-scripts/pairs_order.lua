local function run() local t = {} for _, k in ipairs{"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"} do t[k] = 1 end local out = {} for k in pairs(t) do out[#out+1] = k end return out end
local r = run()
if type(r) ~= "table" then r = {r} end
local out = {}
for i = 1, #r do local x = r[i] if type(x) == "string" then local h = {} for j = 1, #x do h[j] = string.format("%02x", x:byte(j)) end out[i] = table.concat(h) else out[i] = tostring(x) end end
return table.concat(out, "|")
