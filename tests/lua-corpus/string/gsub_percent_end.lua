local r = ("abc"):gsub("b", "x%")
print(#r, r:byte(1, -1))
