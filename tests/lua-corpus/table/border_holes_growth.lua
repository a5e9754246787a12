local t = {}
for i = 1, 20 do t[i] = i end
t[10] = nil
print(#t)
t[20] = nil t[19] = nil
print(#t)
for i = 1, 8 do t[i] = nil end
print(#t)
