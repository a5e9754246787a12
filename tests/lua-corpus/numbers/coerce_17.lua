print(1e308*10 == math.huge)
print(pcall(function() return 1e308*10 == math.huge end))
