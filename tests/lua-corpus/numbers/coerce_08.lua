print("10"/"4")
print(pcall(function() return "10"/"4" end))
