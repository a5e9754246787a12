print(string.gsub("abc", "(b)", "[%1]"))
