print(pcall(string.format, "%10.3f|", -3.14159))
