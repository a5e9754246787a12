local t = {apple=1, banana=2, cherry=3, date=4, elderberry=5, fig=6, grape=7}
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
