print(string.gsub("abc", "%w", {a="1", b=true}))
