print(pcall(string.format, "%.17g", 0.1))
