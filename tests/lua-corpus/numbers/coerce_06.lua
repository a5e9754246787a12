print(1 .. "")
print(pcall(function() return 1 .. "" end))
