print(pcall(string.format, "%q", "a\nb\"c\\d\0e\r"))
