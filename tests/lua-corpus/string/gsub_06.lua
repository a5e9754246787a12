print(string.gsub("abc", "%w", function(c) return false end))
