print(string.find("a-b", "[a%-]+"))
print(string.match("a-b", "[a%-]+"))
print(string.gsub("a-b", "[a%-]+", "<%0>"))
