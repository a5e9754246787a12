print(string.byte("abc", -1))
print(type(string.byte("abc", -1)))
