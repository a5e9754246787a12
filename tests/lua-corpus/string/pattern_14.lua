print(string.find("key=value", "(%w+)=(%w+)"))
print(string.match("key=value", "(%w+)=(%w+)"))
print(string.gsub("key=value", "(%w+)=(%w+)", "<%0>"))
