print(pcall(string.format, "%e", 12345.6789))
