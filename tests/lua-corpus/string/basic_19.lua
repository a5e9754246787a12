print(string.byte("abc", 1, 3))
print(type(string.byte("abc", 1, 3)))
