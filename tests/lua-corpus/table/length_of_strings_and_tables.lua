print(#"", #"abc", #{}, #{1, 2})
print(pcall(function() return #5 end))
