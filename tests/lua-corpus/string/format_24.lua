print(pcall(string.format, "%g", 1e-5))
