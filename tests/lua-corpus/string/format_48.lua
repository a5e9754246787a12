print(pcall(string.format, "%.3d", 5))
