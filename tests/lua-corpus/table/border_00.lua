local t = {1, 2, 3}
print(#t)
t[#t + 1] = "x"
print(#t)
