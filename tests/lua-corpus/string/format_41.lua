print(pcall(string.format, "%d", 2^53))
