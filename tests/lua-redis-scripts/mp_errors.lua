local function run() local out = {} for _, f in ipairs{function() return cmsgpack.pack() end, function() return cmsgpack.unpack("\xc1") end, function() return cmsgpack.unpack("\x92\x01") end, function() return cmsgpack.unpack_one("\x01", 5) end, function() return cmsgpack.unpack_one("\x01", -1) end, function() return cmsgpack.unpack("\xd9") end} do local ok, e = pcall(f) out[#out+1] = tostring(ok) .. " " .. tostring(e) end return out end
local r = run()
if type(r) ~= "table" then r = {r} end
local out = {}
for i = 1, #r do local x = r[i] if type(x) == "string" then local h = {} for j = 1, #x do h[j] = string.format("%02x", x:byte(j)) end out[i] = table.concat(h) else out[i] = tostring(x) end end
return table.concat(out, "|")
