local t = setmetatable({}, {__concat = function(a, b) return "cat" end})
print(t .. "x", "x" .. t, 1 .. t)
print("a" .. "b" .. t .. "c")
