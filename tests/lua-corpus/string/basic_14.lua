print(string.rep("", 5))
print(type(string.rep("", 5)))
