print(pcall(string.format, "%x", -1))
