local function memoize(f) local cache = {} return function(n) local v = cache[n] if v == nil then v = f(n) cache[n] = v end return v end end
local fib
fib = memoize(function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end)
print(fib(80))
local acc = {}
for i = 1, 5 do local x = i * 10 acc[i] = function(d) x = x + d return x end end
print(acc[1](1), acc[1](1), acc[5](5), acc[3](0))
local function compose(...) local fs = {...} return function(v) for i = #fs, 1, -1 do v = fs[i](v) end return v end end
print(compose(function(x) return x + 1 end, function(x) return x * 2 end)(5))
