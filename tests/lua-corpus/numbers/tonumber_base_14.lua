print(tonumber("9", 9))
