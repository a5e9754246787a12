print(string.byte(""))
print(type(string.byte("")))
