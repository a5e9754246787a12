print(tonumber("0x1p4"))
print(type(tonumber("0x1p4")))
