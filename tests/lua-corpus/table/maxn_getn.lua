local t = {1, 2, nil, 4}
print(table.maxn(t), table.getn(t), #t)
print(table.maxn({[1.5] = 1, [10] = 2, x = 3}))
print(pcall(table.setn, {}, 1))
