local function run() return {cmsgpack.pack(1.5), cmsgpack.pack(0.1), cmsgpack.pack(1/0), cmsgpack.pack(2^63), cmsgpack.pack(-0.0)} end
local r = run()
if type(r) ~= "table" then r = {r} end
local out = {}
for i = 1, #r do local x = r[i] if type(x) == "string" then local h = {} for j = 1, #x do h[j] = string.format("%02x", x:byte(j)) end out[i] = table.concat(h) else out[i] = tostring(x) end end
return table.concat(out, "|")
