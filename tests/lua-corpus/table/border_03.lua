local t = {1, nil}
print(#t)
t[#t + 1] = "x"
print(#t)
