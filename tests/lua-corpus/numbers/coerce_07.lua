print(-"2")
print(pcall(function() return -"2" end))
