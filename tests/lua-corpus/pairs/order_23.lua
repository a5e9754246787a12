local t = {first=1, second=2, third=3, [1]="one", [2]="two"}
for k, v in pairs(t) do print(k, v) end
local k, v = next(t) print("first", k, v)
print(#t)
