local function loop(n) if n == 0 then return "done" end return loop(n - 1) end
print(loop(100000))
local function a(n) if n == 0 then return 0 end return (a(n - 1)) end
print(pcall(a, 10))
