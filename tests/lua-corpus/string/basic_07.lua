print(string.sub("hello", -100, 2))
print(type(string.sub("hello", -100, 2)))
