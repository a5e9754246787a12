print(string.find("tab\there", "%c"))
print(string.match("tab\there", "%c"))
print(string.gsub("tab\there", "%c", "<%0>"))
