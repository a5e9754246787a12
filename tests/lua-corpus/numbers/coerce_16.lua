print(0/0 ~= 0/0)
print(pcall(function() return 0/0 ~= 0/0 end))
