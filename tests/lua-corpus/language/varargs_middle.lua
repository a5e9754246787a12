local function f() return 1, 2, 3 end
print(f(), f())
print((f()))
local t = {f(), f(), 10}
print(#t)
print(f(), "x")
