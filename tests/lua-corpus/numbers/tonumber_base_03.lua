print(tonumber("8", 8))
