local i = 0 while i < 5 do i = i + 1 if i == 3 then break end end print(i)
local n = 0 repeat local m = n n = n + 1 until m >= 3 print(n)
