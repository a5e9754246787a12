print(string.len("abc"))
print(type(string.len("abc")))
