print(pcall(string.format, "% d", 42))
