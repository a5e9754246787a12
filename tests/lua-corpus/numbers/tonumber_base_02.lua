print(tonumber("777", 8))
