print(pcall(string.format, "%f", 1/0))
