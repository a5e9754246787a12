print(pcall(string.format, "%08.3f", 3.14159))
