print(string.char())
print(type(string.char()))
