print(pcall(string.format, "%u", -1))
