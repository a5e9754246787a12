local log = {}
local t = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, v * 2) end})
t.a = 5 print(t.a)
t.a = 7 print(t.a)
local store = {}
local p = setmetatable({}, {__newindex = store})
p.x = 1 print(rawget(p, "x"), store.x)
