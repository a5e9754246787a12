local function f() error("lvl1") end
local function g() error("lvl2", 2) end
local function h() g() end
print(pcall(f))
print(pcall(h))
print(pcall(error, "x", 3))
