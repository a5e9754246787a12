print(string.rep("ab", 0))
print(type(string.rep("ab", 0)))
