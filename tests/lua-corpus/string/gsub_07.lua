print(string.gsub("$name is $age", "%$(%w+)", {name="bob", age=42}))
