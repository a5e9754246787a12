print(("%d"):format(5))
print(type(("%d"):format(5)))
