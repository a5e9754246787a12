local t = {[2]=2}
print(#t)
t[#t + 1] = "x"
print(#t)
