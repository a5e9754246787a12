for i = 1, 5 do print(math.random(100)) end
print(math.random(5, 10))
math.randomseed(42)
for i = 1, 3 do print(math.random(1000)) end
local r = math.random() print(r >= 0 and r < 1)
