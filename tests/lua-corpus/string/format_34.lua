print(pcall(string.format, "%-10s|", "hi"))
