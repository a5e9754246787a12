local t = setmetatable({}, {__index = function(t, k) return k .. "!" end})
print(t.a, t[1])
