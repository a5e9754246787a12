local function run() local s = cmsgpack.pack(10, 20, 30) local off, v = cmsgpack.unpack_one(s) local off2, v2 = cmsgpack.unpack_one(s, off) local off3, v3 = cmsgpack.unpack_one(s, off2) return {off, v, off2, v2, off3, v3} end
local r = run()
if type(r) ~= "table" then r = {r} end
local out = {}
for i = 1, #r do local x = r[i] if type(x) == "string" then local h = {} for j = 1, #x do h[j] = string.format("%02x", x:byte(j)) end out[i] = table.concat(h) else out[i] = tostring(x) end end
return table.concat(out, "|")
