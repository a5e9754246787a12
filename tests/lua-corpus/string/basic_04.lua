print(string.sub("hello", 2))
print(type(string.sub("hello", 2)))
