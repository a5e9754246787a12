print(tonumber("Z", 36))
