print("10"+1)
print(pcall(function() return "10"+1 end))
