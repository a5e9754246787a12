print(tonumber("101", 2))
