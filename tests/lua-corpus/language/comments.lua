-- line comment
print(1) --[[ block ]] print(2)
--[==[
multi
]==]
print(3)
