local up
print(pcall(function() return up.x end))
print(pcall(function() return up() end))
print(pcall(function() return up + 1 end))
