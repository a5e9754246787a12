print("0x10"+0)
print(pcall(function() return "0x10"+0 end))
