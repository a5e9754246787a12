print(tonumber("abc"))
print(type(tonumber("abc")))
