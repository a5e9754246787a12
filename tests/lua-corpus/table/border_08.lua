local t = {1,2,3,[5]=5}
print(#t)
t[#t + 1] = "x"
print(#t)
