print(string.find("THE (quick) fox", "%((%a+)%)"))
print(string.match("THE (quick) fox", "%((%a+)%)"))
print(string.gsub("THE (quick) fox", "%((%a+)%)", "<%0>"))
