print(("aaa"):gsub("^a", "b"))
print(("hello world"):gsub("^%s*", ""))
