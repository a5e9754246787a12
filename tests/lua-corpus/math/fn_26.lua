print(math.rad(180))
