print("3"^2)
print(pcall(function() return "3"^2 end))
