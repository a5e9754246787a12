print("1e1"*2)
print(pcall(function() return "1e1"*2 end))
