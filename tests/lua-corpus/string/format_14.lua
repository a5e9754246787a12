print(pcall(string.format, "%c", 65))
