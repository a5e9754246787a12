print(tonumber("1e400"))
print(type(tonumber("1e400")))
