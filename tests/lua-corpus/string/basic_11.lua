print(string.lower("ABC1!"))
print(type(string.lower("ABC1!")))
