local s = [[
first
second]]
print(s)
print([==[a]]b]=]c]==])
print(#[[
]])
--[[ comment
]] print("after")
--[==[ x ]==] print("ok")
