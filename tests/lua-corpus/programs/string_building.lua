local parts = {}
for i = 1, 20 do parts[#parts + 1] = string.rep(string.char(64 + i), i % 4) end
local s = table.concat(parts, "-")
print(s, #s)
print(s:upper():gsub("%-+", "+"))
print(("%s|%s"):format(s:sub(1, 5), s:sub(-5)))
print(s:find("CCC"), s:match("(%u+)%-(%u+)$"))
local r = "" for i = 1, 10 do r = r .. i .. (i % 2 == 0 and "," or ";") end print(r)
