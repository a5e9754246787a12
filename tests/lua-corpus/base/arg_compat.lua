local function f(...) return arg and arg.n, arg and arg[1] end
print(f(7, 8))
local function g(...) local a = ... return arg end
print(g(1))
