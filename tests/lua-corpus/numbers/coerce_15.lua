print((-8)^(1/3))
print(pcall(function() return (-8)^(1/3) end))
