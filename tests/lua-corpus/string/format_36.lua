print(pcall(string.format, "%s", 12))
