print(string.find("  trim  ", "^%s*(.-)%s*$"))
print(string.match("  trim  ", "^%s*(.-)%s*$"))
print(string.gsub("  trim  ", "^%s*(.-)%s*$", "<%0>"))
