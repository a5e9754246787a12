print(pcall(string.format, "%-10.2f|", 1.5))
