for i = 1, 3 do io.write(i, " ") end print()
for i = 3, 1, -1 do io.write(i, " ") end print()
for i = 1, 2, 0.5 do io.write(i, " ") end print()
for i = 1, 0 do print("never") end
for i = 0.1, 0.5, 0.1 do io.write(i, " ") end print()
for i = "1", "3" do io.write(i, " ") end print()
