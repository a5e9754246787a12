local t = {n = 1}
print(#t)
t[#t + 1] = "x"
print(#t)
