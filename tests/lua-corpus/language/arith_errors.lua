local t = {}
print(pcall(function() return t + 1 end))
print(pcall(function() return 1 + t end))
print(pcall(function() return "a" * 2 end))
print(pcall(function() return -{} end))
print(pcall(function() return undefinedglobal + 1 end))
print(pcall(function() return t.field * 2 end))
