print(pcall(string.format, "%f", 3.14159))
