local function run() return {struct.pack("!4bi", 1, 2), struct.pack("!8 b d", 1, 2), struct.pack("!2 b h b i", 1, 2, 3, 4)} end
local r = run()
if type(r) ~= "table" then r = {r} end
local out = {}
for i = 1, #r do local x = r[i] if type(x) == "string" then local h = {} for j = 1, #x do h[j] = string.format("%02x", x:byte(j)) end out[i] = table.concat(h) else out[i] = tostring(x) end end
return table.concat(out, "|")
