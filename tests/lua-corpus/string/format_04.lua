print(pcall(string.format, "%05d", 42))
