local t = {1, 2, 3, nil, 5, nil}
print(#t)
t[#t + 1] = "x"
print(#t)
