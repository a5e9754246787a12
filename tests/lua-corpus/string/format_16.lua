print(pcall(string.format, "%E", 0.000123))
