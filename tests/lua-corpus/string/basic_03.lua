print(string.sub("hello", -3))
print(type(string.sub("hello", -3)))
