print(string.sub("hello", 10))
print(type(string.sub("hello", 10)))
