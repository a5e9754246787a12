local t = {} for _, w in ipairs{"the","quick","brown","fox","jumps","over","lazy","dog"} do t[w] = #w end
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
