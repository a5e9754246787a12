print(pcall(string.format, "%.2f", 2.675))
