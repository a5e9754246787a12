print(string.rep("ab", 3))
print(type(string.rep("ab", 3)))
