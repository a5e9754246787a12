print(5.5%2)
print(pcall(function() return 5.5%2 end))
