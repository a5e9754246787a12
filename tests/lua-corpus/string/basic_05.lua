print(string.sub("hello", 0))
print(type(string.sub("hello", 0)))
