print(pcall(string.format, "%X", 255))
