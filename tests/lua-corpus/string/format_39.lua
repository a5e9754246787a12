print(pcall(string.format, "%5.2s|", "abc"))
