print(tonumber("-1", 10))
