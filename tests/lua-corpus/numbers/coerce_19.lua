print(3 == 3.0000000000000001)
print(pcall(function() return 3 == 3.0000000000000001 end))
