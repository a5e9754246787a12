print(pcall(string.format, "%.3g", 3.14159))
