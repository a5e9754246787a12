local t = {"pear", "apple", "fig", "banana", "Cherry", "apple2"}
table.sort(t)
print(table.concat(t, " "))
