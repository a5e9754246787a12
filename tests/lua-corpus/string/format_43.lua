print(pcall(string.format, "%.0f", 0.5))
