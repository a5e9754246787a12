print(tonumber("0x1f", 16))
