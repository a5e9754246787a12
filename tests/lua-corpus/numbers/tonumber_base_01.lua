print(tonumber("zz", 36))
