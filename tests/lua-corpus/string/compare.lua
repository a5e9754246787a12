print("a" < "b", "a" < "B", "abc" < "abd", "" < "a", "a" < "aa", "Z" < "a")
print("10" < "9", "a\0b" < "a\0c")
print(pcall(function() return "a" < 1 end))
