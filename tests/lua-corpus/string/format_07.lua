print(pcall(string.format, "%x", 255))
