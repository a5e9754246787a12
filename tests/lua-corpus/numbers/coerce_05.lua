print(10 .. 20)
print(pcall(function() return 10 .. 20 end))
