print(pcall(string.format, "%.0f", 2.5))
