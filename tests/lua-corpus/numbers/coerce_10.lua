print(-7%3)
print(pcall(function() return -7%3 end))
