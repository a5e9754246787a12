print(tonumber("1e"))
print(type(tonumber("1e")))
