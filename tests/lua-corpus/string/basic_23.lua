print(string.char(72, 105))
print(type(string.char(72, 105)))
