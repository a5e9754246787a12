print(pcall(string.format, "%s", 1.5))
