print(string.byte("abc", 10))
print(type(string.byte("abc", 10)))
