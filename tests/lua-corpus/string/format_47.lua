print(pcall(string.format, "%i", 7))
