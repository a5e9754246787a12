print(tonumber("1 2"))
print(type(tonumber("1 2")))
