print(string.byte("abc", 0, 1))
print(type(string.byte("abc", 0, 1)))
