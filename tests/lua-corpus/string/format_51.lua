print(pcall(string.format, "%x", 2^40))
