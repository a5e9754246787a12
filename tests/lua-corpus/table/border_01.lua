local t = {1, 2, nil, 4}
print(#t)
t[#t + 1] = "x"
print(#t)
