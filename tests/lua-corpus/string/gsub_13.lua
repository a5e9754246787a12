print(string.gsub("x = 1", "(%w+) = (%w+)", "%2 = %1"))
