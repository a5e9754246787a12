print(-"2", -"-3")
print(pcall(function() return -"abc" end))
