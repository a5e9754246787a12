print(string.byte("A"))
print(type(string.byte("A")))
