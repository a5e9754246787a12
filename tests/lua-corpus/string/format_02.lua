print(pcall(string.format, "%5d", 42))
