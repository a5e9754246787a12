print(2^0.5)
print(pcall(function() return 2^0.5 end))
