print(_G._G == _G, _VERSION)
myglobal = 5
print(_G.myglobal, _G["myglobal"])
_G.other = 6
print(other)
