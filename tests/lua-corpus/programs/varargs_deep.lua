local function pack(...) return {n = select("#", ...), ...} end
local function count(...) return select("#", ...) end
print(count(), count(nil), count(nil, nil, nil), count(unpack({1, nil, 3})))
local p = pack(1, nil, 3, nil)
print(p.n, p[1], p[2], p[3], p[4])
local function pass(...) return ... end
print(pass(1, 2, 3), (pass(1, 2, 3)))
print(select("#", pass()), select("#", pass(nil)))
local function tail(n, ...) if n == 0 then return ... end return tail(n - 1, n, ...) end
print(tail(5))
print(string.format("%s %s %s", pass("a", "b", "c")))
