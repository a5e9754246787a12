print(#string.rep("a", 1000))
print(type(#string.rep("a", 1000)))
