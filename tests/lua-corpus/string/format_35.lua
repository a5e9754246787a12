print(pcall(string.format, "%.2s", "hello"))
