local t = {[1] = "a", "b"}
print(t[1])
local u = {"x", [2] = "y", "z"}
print(u[1], u[2])
local function f() return 1, 2, 3 end
local v = {f(), f()}
print(#v)
local w = {f(), (f())}
print(#w)
local z = {f(), nil}
print(#z)
