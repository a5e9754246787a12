print(pcall(string.format, "%g", 0.0001))
