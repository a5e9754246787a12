print(tonumber("0x10"))
print(type(tonumber("0x10")))
