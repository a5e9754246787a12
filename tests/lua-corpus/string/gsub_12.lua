print(string.gsub("  x  ", "^%s+", ""))
