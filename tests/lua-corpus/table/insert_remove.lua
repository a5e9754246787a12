local t = {}
table.insert(t, "a") table.insert(t, "b") table.insert(t, 1, "c")
print(table.concat(t, ","), #t)
print(table.remove(t), table.remove(t, 1), #t, t[1])
print(table.remove({}), table.remove({}, 1))
