local function thrower(kind)
  if kind == 1 then error({code = 42}) elseif kind == 2 then error("text", 0) elseif kind == 3 then error() elseif kind == 4 then local x = nil; return x.field else return "fine" end
end
for k = 1, 5 do
  local ok, e = pcall(thrower, k)
  if type(e) == "table" then print(ok, "table", e.code) else print(ok, e) end
end
print(select("#", pcall(error)))
local ok, e = pcall(function() local t = setmetatable({}, {__index = function(_, k) error("missing " .. k, 2) end}) return t.abc end)
print(ok, e)
