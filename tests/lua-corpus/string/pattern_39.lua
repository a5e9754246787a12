print(string.find("[test]", "%[(.*)%]"))
print(string.match("[test]", "%[(.*)%]"))
print(string.gsub("[test]", "%[(.*)%]", "<%0>"))
