print(pcall(string.format, "%%"))
