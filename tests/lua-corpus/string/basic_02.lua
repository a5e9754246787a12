print(string.sub("hello", 2, 4))
print(type(string.sub("hello", 2, 4)))
