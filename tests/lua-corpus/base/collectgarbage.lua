print(collectgarbage())
print(type(collectgarbage("count")))
print(pcall(collectgarbage, "bogus"))
print(type(gcinfo()))
