local function run() return {cmsgpack.pack({1, 2, 3}), cmsgpack.pack({}), cmsgpack.pack({a = 1}), cmsgpack.pack({1, nil, 3}), cmsgpack.pack({[1] = 1, [3] = 3}), cmsgpack.pack(true, false, nil)} end
local r = run()
if type(r) ~= "table" then r = {r} end
local out = {}
for i = 1, #r do local x = r[i] if type(x) == "string" then local h = {} for j = 1, #x do h[j] = string.format("%02x", x:byte(j)) end out[i] = table.concat(h) else out[i] = tostring(x) end end
return table.concat(out, "|")
