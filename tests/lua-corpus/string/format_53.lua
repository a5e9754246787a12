print(pcall(string.format, "%.14g", 0.1))
