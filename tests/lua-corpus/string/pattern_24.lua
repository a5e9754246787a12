print(string.find("abcabc", "(abc)%1"))
print(string.match("abcabc", "(abc)%1"))
print(string.gsub("abcabc", "(abc)%1", "<%0>"))
