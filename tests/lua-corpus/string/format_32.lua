print(pcall(string.format, "%s", "hi"))
