namespace Cinnabar.Commands.Families;

/// <summary>
/// COMMAND and its subcommands: introspection of the command table (only implemented commands appear),
/// with Redis 7.0's reply shapes.
/// </summary>
public static class CommandCommands
{
    [RedisCommand("COMMAND")]
    public static void Command(CommandContext ctx) => WriteAllInfo(ctx);

    [RedisCommand("COMMAND COUNT")]
    public static void Count(CommandContext ctx) => ctx.Reply.WriteInteger(ctx.Server.Commands.Commands.Count());

    [RedisCommand("COMMAND INFO")]
    public static void Info(CommandContext ctx)
    {
        if (ctx.ArgCount == 2)
        {
            WriteAllInfo(ctx);
            return;
        }
        ctx.Reply.WriteArrayHeader(ctx.ArgCount - 2);
        for (int i = 2; i < ctx.ArgCount; i++)
        {
            var def = ctx.Server.Commands.FindByFullName(ctx.ArgString(i));
            if (def == null) ctx.Reply.WriteNull();
            else CommandInfoWriter.WriteInfo(ctx.Reply, def);
        }
    }

    [RedisCommand("COMMAND DOCS")]
    public static void Docs(CommandContext ctx)
    {
        var defs = new List<CommandDef>();
        if (ctx.ArgCount == 2) defs.AddRange(SortedCommands(ctx.Server.Commands));
        else
        {
            for (int i = 2; i < ctx.ArgCount; i++)
            {
                var def = ctx.Server.Commands.FindByFullName(ctx.ArgString(i));
                if (def != null) defs.Add(def);
            }
        }
        ctx.Reply.WriteMapHeader(defs.Count);
        foreach (var def in defs)
        {
            ctx.Reply.WriteBulk(def.DisplayName);
            CommandInfoWriter.WriteDocs(ctx.Reply, def);
        }
    }

    [RedisCommand("COMMAND LIST")]
    public static void List(CommandContext ctx)
    {
        // Every implemented command and subcommand by its full name ("config|get").
        var all = new List<CommandDef>();
        foreach (var def in SortedCommands(ctx.Server.Commands))
        {
            all.Add(def);
            all.AddRange(CommandInfoWriter.SortedSubcommands(def));
        }
        if (ctx.ArgCount > 2)
        {
            if (ctx.ArgCount != 5 || !ctx.ArgIs(2, "FILTERBY"u8))
            {
                ctx.SyntaxError();
                return;
            }
            string value = ctx.ArgString(4);
            if (ctx.ArgIs(3, "MODULE"u8)) all.Clear(); // no modules exist
            else if (ctx.ArgIs(3, "ACLCAT"u8))
                all = all.Where(d => CommandInfoWriter.AclCategories(d).Contains(value, StringComparer.OrdinalIgnoreCase)).ToList();
            else if (ctx.ArgIs(3, "PATTERN"u8))
                all = all.Where(d => NameMatches(value, d.DisplayName)).ToList();
            else
            {
                ctx.SyntaxError();
                return;
            }
        }
        ctx.Reply.WriteArrayHeader(all.Count);
        foreach (var def in all) ctx.Reply.WriteBulk(def.DisplayName);
    }

    [RedisCommand("COMMAND GETKEYS")]
    public static void GetKeys(CommandContext ctx) => GetKeys(ctx, withFlags: false);

    [RedisCommand("COMMAND GETKEYSANDFLAGS")]
    public static void GetKeysAndFlags(CommandContext ctx) => GetKeys(ctx, withFlags: true);

    [RedisCommand("COMMAND HELP")]
    public static void Help(CommandContext ctx)
    {
        string[] lines =
        [
            "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "(no subcommand)",
            "    Return details about all Redis commands.",
            "COUNT",
            "    Return the total number of commands in this Redis server.",
            "LIST",
            "    Return a list of all commands in this Redis server.",
            "INFO [<command-name> ...]",
            "    Return details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "DOCS [<command-name> ...]",
            "    Return documentation details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "GETKEYS <full-command>",
            "    Return the keys from a full Redis command.",
            "GETKEYSANDFLAGS <full-command>",
            "    Return the keys and the access flags from a full Redis command.",
            "HELP",
            "    Prints this help.",
        ];
        ctx.WriteHelp(lines);
    }

    /// <summary>Redis's glob match (*, ?, [a-z], [^x], \\ escapes), case-insensitive, for FILTERBY PATTERN.</summary>
    private static bool NameMatches(string pattern, string name) =>
        Types.GlobMatcher.IsMatch(System.Text.Encoding.UTF8.GetBytes(pattern), System.Text.Encoding.UTF8.GetBytes(name), noCase: true);

    private static void WriteAllInfo(CommandContext ctx)
    {
        var defs = SortedCommands(ctx.Server.Commands);
        ctx.Reply.WriteArrayHeader(defs.Count);
        foreach (var def in defs) CommandInfoWriter.WriteInfo(ctx.Reply, def);
    }

    private static List<CommandDef> SortedCommands(CommandTable table) =>
        table.Commands.OrderBy(d => d.Name, StringComparer.Ordinal).ToList();

    private static void GetKeys(CommandContext ctx, bool withFlags)
    {
        int offset = 2;
        int argc = ctx.ArgCount - offset;
        var def = ctx.Server.Commands.Find(ctx.Arg(offset));
        // As Redis's lookupCommand: with more arguments, a container resolves to its subcommand.
        if (def?.Subcommands != null && argc > 1) def = def.FindSubcommand(ctx.Arg(offset + 1));
        if (def == null)
        {
            ctx.Error("ERR Invalid command specified");
            return;
        }
        if (!def.KeySpecs.Any(s => !s.Flags.Contains("NOT_KEY")))
        {
            ctx.Error("ERR The command has no key arguments");
            return;
        }
        if ((def.Arity > 0 && def.Arity != argc) || argc < -def.Arity)
        {
            ctx.Error("ERR Invalid number of arguments specified for command");
            return;
        }
        var keys = KeyFinder.Find(def, argc, i => ctx.Arg(offset + i));
        if (keys == null || keys.Count == 0)
        {
            if ((def.Flags & CommandFlags.NoMandatoryKeys) != 0) ctx.Reply.WriteEmptyArray();
            else ctx.Error("ERR Invalid arguments specified for command");
            return;
        }
        ctx.Reply.WriteArrayHeader(keys.Count);
        foreach (var (pos, flags) in keys)
        {
            if (!withFlags)
            {
                ctx.Reply.WriteBulk(ctx.Arg(offset + pos));
                continue;
            }
            ctx.Reply.WriteArrayHeader(2);
            ctx.Reply.WriteBulk(ctx.Arg(offset + pos));
            var names = CommandInfoWriter.KeySpecFlagNames(flags);
            ctx.Reply.WriteSetHeader(names.Count);
            foreach (var n in names) ctx.Reply.WriteSimpleString(n);
        }
    }
}
