local function f(...) return select("#", ...), ... end
print(f())
print(f(nil, nil))
print(f(1, 2, 3))
local function g(...) local a, b = ... return a, b end
print(g(9))
local function h(...) return {...} end
print(#h(1, 2, 3))
