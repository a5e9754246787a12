print(string.gsub("a,b,,c", ",", ";"))
