print(pcall(string.format, "%.0f", 1.5))
