local function run() return {cmsgpack.pack("abc"), cmsgpack.pack(string.rep("x", 40)), cmsgpack.pack(string.rep("y", 300)), cmsgpack.pack("")} end
local r = run()
if type(r) ~= "table" then r = {r} end
local out = {}
for i = 1, #r do local x = r[i] if type(x) == "string" then local h = {} for j = 1, #x do h[j] = string.format("%02x", x:byte(j)) end out[i] = table.concat(h) else out[i] = tostring(x) end end
return table.concat(out, "|")
