local x = 1 local x = x + 1 print(x)
local function f(x) local x = x * 2 return x end print(f(5))
