print(tonumber("ffffffffffffffff", 16))
