print(tonumber("inf"))
print(type(tonumber("inf")))
