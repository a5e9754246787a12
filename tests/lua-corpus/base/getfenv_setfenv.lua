x = "global"
local function f() return x end
print(f())
setfenv(f, {x = "private"})
print(f())
print(getfenv(f).x, getfenv(0) == _G, getfenv() == _G)
local function g() setfenv(1, {print = print}) print(x) end
g()
print(pcall(setfenv, print, {}))
