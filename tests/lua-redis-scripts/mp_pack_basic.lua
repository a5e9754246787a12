local function run() return {cmsgpack.pack(1), cmsgpack.pack(-1), cmsgpack.pack(127), cmsgpack.pack(128), cmsgpack.pack(-33), cmsgpack.pack(256), cmsgpack.pack(65536), cmsgpack.pack(2^32), cmsgpack.pack(-129), cmsgpack.pack(-40000), cmsgpack.pack(-2^31 - 1)} end
local r = run()
if type(r) ~= "table" then r = {r} end
local out = {}
for i = 1, #r do local x = r[i] if type(x) == "string" then local h = {} for j = 1, #x do h[j] = string.format("%02x", x:byte(j)) end out[i] = table.concat(h) else out[i] = tostring(x) end end
return table.concat(out, "|")
