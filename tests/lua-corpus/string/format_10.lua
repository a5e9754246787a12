print(pcall(string.format, "%o", 8))
