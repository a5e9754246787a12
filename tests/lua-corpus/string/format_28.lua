print(pcall(string.format, "%G", 1e-10))
