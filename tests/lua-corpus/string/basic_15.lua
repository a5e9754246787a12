print(string.rep("x", -1))
print(type(string.rep("x", -1)))
