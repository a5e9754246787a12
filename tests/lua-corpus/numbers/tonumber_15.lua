print(tonumber("10a"))
print(type(tonumber("10a")))
