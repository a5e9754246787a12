print(string.sub("abc", 2, 100))
print(type(string.sub("abc", 2, 100)))
