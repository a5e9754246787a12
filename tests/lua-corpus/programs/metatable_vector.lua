local V = {}
V.__index = V
local function new(x, y) return setmetatable({x = x, y = y}, V) end
V.__add = function(a, b) return new(a.x + b.x, a.y + b.y) end
V.__mul = function(a, s) if type(a) == "number" then a, s = s, a end return new(a.x * s, a.y * s) end
V.__eq = function(a, b) return a.x == b.x and a.y == b.y end
V.__lt = function(a, b) return a:len() < b:len() end
V.__le = function(a, b) return a:len() <= b:len() end
V.__tostring = function(v) return "(" .. v.x .. ", " .. v.y .. ")" end
V.__unm = function(v) return new(-v.x, -v.y) end
V.__concat = function(a, b) return tostring(a) .. tostring(b) end
V.__call = function(v, k) return v[k] end
V.__len = function(v) return 2 end
function V:len() return math.sqrt(self.x ^ 2 + self.y ^ 2) end
local a, b = new(1, 2), new(3, 4)
print(tostring(a + b), tostring(a * 2), tostring(3 * b), a == new(1, 2), a < b, b <= a, tostring(-a))
print(a .. b, a("x"), #a)
