print(string.find("THE (quick) fox", "%f[%a]%a+"))
print(string.match("THE (quick) fox", "%f[%a]%a+"))
print(string.gsub("THE (quick) fox", "%f[%a]%a+", "<%0>"))
