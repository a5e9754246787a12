local function run() return {tostring(10), tostring(1e15), tostring(0.1), tostring(-0.0), tostring(2^53), string.format("%d", 3.7), tostring(1/0), 10 .. ""} end
local r = run()
if type(r) ~= "table" then r = {r} end
local out = {}
for i = 1, #r do local x = r[i] if type(x) == "string" then local h = {} for j = 1, #x do h[j] = string.format("%02x", x:byte(j)) end out[i] = table.concat(h) else out[i] = tostring(x) end end
return table.concat(out, "|")
