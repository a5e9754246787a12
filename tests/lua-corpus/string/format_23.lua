print(pcall(string.format, "%g", 1000000))
