print(tonumber(".5"))
print(type(tonumber(".5")))
