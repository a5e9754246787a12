print(pcall(string.format, "%g", 2^53))
