print(tonumber("0X1F"))
print(type(tonumber("0X1F")))
