print(tonumber("nan"))
print(type(tonumber("nan")))
