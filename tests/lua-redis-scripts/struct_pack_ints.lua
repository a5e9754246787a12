local function run() return {struct.pack("b", -1), struct.pack(">h", 258), struct.pack("<H", 258), struct.pack("i", -2), struct.pack(">I", 4294967295), struct.pack("l", 2^40), struct.pack(">L", -1), struct.pack("i3", 65537), struct.pack("B", 256)} end
local r = run()
if type(r) ~= "table" then r = {r} end
local out = {}
for i = 1, #r do local x = r[i] if type(x) == "string" then local h = {} for j = 1, #x do h[j] = string.format("%02x", x:byte(j)) end out[i] = table.concat(h) else out[i] = tostring(x) end end
return table.concat(out, "|")
