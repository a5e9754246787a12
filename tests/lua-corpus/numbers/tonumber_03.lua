print(tonumber("0x"))
print(type(tonumber("0x")))
