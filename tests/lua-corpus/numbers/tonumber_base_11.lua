print(tonumber("10", 3))
