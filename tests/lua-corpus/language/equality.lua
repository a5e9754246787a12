local t = {}
print(1 == 1.0, "1" == 1, t == t, {} == {}, nil == false, 0 == -0)
