print(pcall(string.format, "%d", 3.7))
