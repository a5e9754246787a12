print(#"\0\1\2")
print(type(#"\0\1\2"))
