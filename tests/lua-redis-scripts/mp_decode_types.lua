local function run() local v = {cmsgpack.unpack("\xcc\xff\xd0\x80\xcd\x01\x00\xd1\xff\x00\xce\xff\xff\xff\xff\xd2\x80\x00\x00\x00\xcf\x00\x00\x00\x01\x00\x00\x00\x00\xd3\xff\xff\xff\xff\xff\xff\xff\xfe\xca\x3f\xc0\x00\x00\xe0")} local out = {} for i = 1, #v do out[i] = tostring(v[i]) end return out end
local r = run()
if type(r) ~= "table" then r = {r} end
local out = {}
for i = 1, #r do local x = r[i] if type(x) == "string" then local h = {} for j = 1, #x do h[j] = string.format("%02x", x:byte(j)) end out[i] = table.concat(h) else out[i] = tostring(x) end end
return table.concat(out, "|")
