print(pcall(string.format, "%.3e", 1))
