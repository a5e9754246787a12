local a = 1
local function f() local b = 2 return function() return function() a = a + b return a end end end
print(f()()(), f()()(), a)
