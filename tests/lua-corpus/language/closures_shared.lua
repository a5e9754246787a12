local function mk() local v = 0 return function() v = v + 1 return v end, function() return v end end
local inc, get = mk()
inc() inc()
print(get())
