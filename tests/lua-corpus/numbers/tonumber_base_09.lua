print(tonumber("", 10))
