print(tonumber("1.5", 10))
