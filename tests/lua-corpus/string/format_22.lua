print(pcall(string.format, "%g", 100000))
