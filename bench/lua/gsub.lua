local s = string.rep("the quick brown fox jumps over the lazy dog 12345 ", 2000)
local total = 0
for i = 1, 30 do
  local r, n = s:gsub("%a+", function(w) return w:upper() end) total = total + n
  local r2, n2 = s:gsub("(%d+)", "<%1>") total = total + n2
  for w in s:gmatch("%w+") do total = total + 1 end
end
print(total)
