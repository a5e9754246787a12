local function run() local a, b, n = struct.unpack("<i8I8", struct.pack("<i8I8", -2^62, 2^62)) return {tostring(a), tostring(b), n} end
local r = run()
if type(r) ~= "table" then r = {r} end
local out = {}
for i = 1, #r do local x = r[i] if type(x) == "string" then local h = {} for j = 1, #x do h[j] = string.format("%02x", x:byte(j)) end out[i] = table.concat(h) else out[i] = tostring(x) end end
return table.concat(out, "|")
