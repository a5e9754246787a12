print(pcall(string.format, "%#g", 1))
