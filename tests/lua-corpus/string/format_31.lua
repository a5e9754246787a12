print(pcall(string.format, "%5.1f", -1/0))
