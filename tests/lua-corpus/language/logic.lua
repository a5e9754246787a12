print(nil or "d", false and 1, 1 and 2, nil and nil, false or nil, 0 or 1, "" and "yes")
print(not 0, not "", not not nil)
