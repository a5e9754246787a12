local function run() local v = cmsgpack.unpack(cmsgpack.pack({1, "two", {three = 3}, 4.5, true})) return {v[1], v[2], v[3].three, tostring(v[4]), tostring(v[5]), #v} end
local r = run()
if type(r) ~= "table" then r = {r} end
local out = {}
for i = 1, #r do local x = r[i] if type(x) == "string" then local h = {} for j = 1, #x do h[j] = string.format("%02x", x:byte(j)) end out[i] = table.concat(h) else out[i] = tostring(x) end end
return table.concat(out, "|")
