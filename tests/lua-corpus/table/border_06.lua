local t = {[1]=1, [2]=2, [4]=4}
print(#t)
t[#t + 1] = "x"
print(#t)
