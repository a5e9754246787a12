print(pcall(string.format, "%a", 1))
