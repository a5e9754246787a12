local old = tostring
tostring = function(v) return "<" .. old(v) .. ">" end
print(1, "a", nil)
tostring = old
print(pcall(print, setmetatable({}, {__tostring = function() return 1 end})))
