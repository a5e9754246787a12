print(" 5 "*1)
print(pcall(function() return " 5 "*1 end))
