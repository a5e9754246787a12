print(pcall(string.format, "%.20f", 0.1))
