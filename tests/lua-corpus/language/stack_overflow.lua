local function f() return 1 + f() end
local ok, e = pcall(f)
print(ok, e)
