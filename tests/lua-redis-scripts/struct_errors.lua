local function run() local out = {} for _, f in ipairs{function() return struct.pack("z", 1) end, function() return struct.unpack("i", "ab") end, function() return struct.size("s") end, function() return struct.pack("!3b", 1) end, function() return struct.pack("i40", 1) end, function() return struct.unpack("s", "abc") end, function() return struct.unpack("b", "a", 0) end, function() return struct.pack("c5", "ab") end, function() return struct.unpack("c0", "a") end, function() return struct.size("c0") end} do local ok, e = pcall(f) out[#out+1] = tostring(ok) .. " " .. tostring(e) end return out end
local r = run()
if type(r) ~= "table" then r = {r} end
local out = {}
for i = 1, #r do local x = r[i] if type(x) == "string" then local h = {} for j = 1, #x do h[j] = string.format("%02x", x:byte(j)) end out[i] = table.concat(h) else out[i] = tostring(x) end end
return table.concat(out, "|")
