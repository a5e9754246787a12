print(string.sub("hello", 3, 2))
print(type(string.sub("hello", 3, 2)))
