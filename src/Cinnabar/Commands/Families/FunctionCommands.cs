using System.Text;
using Cinnabar.Protocol;
using Cinnabar.Scripting;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>FUNCTION and FCALL (Redis's functions.c commands); libraries and runs are in Scripting/FunctionEngine.</summary>
public static class FunctionCommands
{
    [RedisCommand("FCALL")]
    public static void Fcall(CommandContext ctx)
    {
        Dispatcher.FeedMonitorsFirst(ctx);
        ctx.Server.Scripting.Functions.Call(ctx, readOnlyCommand: false);
    }

    [RedisCommand("FCALL_RO")]
    public static void FcallRo(CommandContext ctx)
    {
        Dispatcher.FeedMonitorsFirst(ctx);
        ctx.Server.Scripting.Functions.Call(ctx, readOnlyCommand: true);
    }

    [RedisCommand("FUNCTION LOAD")]
    public static void Load(CommandContext ctx)
    {
        bool replace = false;
        int pos = 2;
        while (pos < ctx.ArgCount - 1)
        {
            if (ctx.ArgIs(pos, "REPLACE"u8))
            {
                replace = true;
                pos++;
                continue;
            }
            ctx.Error("ERR Unknown option given: " + ctx.ArgString(pos));
            return;
        }
        // The load time limit does not apply to what the server must obey (replication, the AOF).
        bool timeLimited = !ctx.Server.Loading;
        var name = ctx.Server.Scripting.Functions.Load(ctx.Arg(pos), replace, timeLimited, out var error);
        if (name == null)
        {
            ctx.Error(error!);
            return;
        }
        ctx.Server.Dirty++;
        ctx.Reply.WriteBulk(name);
    }

    [RedisCommand("FUNCTION DELETE")]
    public static void Delete(CommandContext ctx)
    {
        if (!ctx.Server.Scripting.Functions.Delete(Encoding.Latin1.GetString(ctx.Arg(2))))
        {
            ctx.Error("ERR Library not found");
            return;
        }
        ctx.Server.Dirty++;
        ctx.Reply.WriteOk();
    }

    [RedisCommand("FUNCTION FLUSH")]
    public static void Flush(CommandContext ctx)
    {
        if (ctx.ArgCount > 3)
        {
            StreamGroupCommands.SubcommandSyntaxError(ctx);
            return;
        }
        // ASYNC and SYNC both free at once: dropping the references is all there is to free.
        if (ctx.ArgCount == 3 && !ctx.ArgIs(2, "SYNC"u8) && !ctx.ArgIs(2, "ASYNC"u8))
        {
            ctx.Error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
            return;
        }
        ctx.Server.Scripting.Functions.Flush();
        ctx.Server.Dirty++;
        ctx.Reply.WriteOk();
    }

    [RedisCommand("FUNCTION KILL")]
    public static void Kill(CommandContext ctx) => ScriptCommands.WriteKillOutcome(ctx, ctx.Server.Scripting.Kill(isEval: false));

    [RedisCommand("FUNCTION LIST")]
    public static void List(CommandContext ctx)
    {
        bool withCode = false;
        byte[]? pattern = null;
        for (int i = 2; i < ctx.ArgCount; i++)
        {
            if (!withCode && ctx.ArgIs(i, "WITHCODE"u8))
            {
                withCode = true;
                continue;
            }
            if (pattern == null && ctx.ArgIs(i, "LIBRARYNAME"u8))
            {
                if (i >= ctx.ArgCount - 1)
                {
                    ctx.Error("ERR library name argument was not given");
                    return;
                }
                pattern = ctx.Arg(++i).ToArray();
                continue;
            }
            ctx.Error("ERR Unknown argument " + ctx.ArgString(i));
            return;
        }
        var libraries = ctx.Server.Scripting.Functions.Libraries.Values
            .Where(l => pattern == null || GlobMatcher.IsMatch(pattern, Encoding.Latin1.GetBytes(l.Name), noCase: true))
            .ToList();
        var w = ctx.Reply;
        w.WriteArrayHeader(libraries.Count);
        foreach (var library in libraries)
        {
            w.WriteMapHeader(withCode ? 4 : 3);
            w.WriteBulk("library_name");
            w.WriteBulk(library.Name);
            w.WriteBulk("engine");
            w.WriteBulk(FunctionLibrary.EngineName);
            w.WriteBulk("functions");
            w.WriteArrayHeader(library.Functions.Count);
            foreach (var f in library.Functions.Values)
            {
                w.WriteMapHeader(3);
                w.WriteBulk("name");
                w.WriteBulk(f.Name);
                w.WriteBulk("description");
                if (f.Description != null) w.WriteBulk(f.Description);
                else w.WriteNull();
                w.WriteBulk("flags");
                WriteFlags(w, f.Flags);
            }
            if (withCode)
            {
                w.WriteBulk("library_code");
                w.WriteBulk(library.Code);
            }
        }
    }

    private static void WriteFlags(RespWriter w, ScriptFlags flags)
    {
        int count = 0;
        foreach (var (_, flag) in ShebangParser.FlagNames)
            if ((flags & flag) != 0) count++;
        w.WriteSetHeader(count);
        foreach (var (name, flag) in ShebangParser.FlagNames)
            if ((flags & flag) != 0) w.WriteSimpleString(name);
    }

    [RedisCommand("FUNCTION STATS")]
    public static void Stats(CommandContext ctx) => WriteStats(ctx.Server, ctx.Reply);

    /// <summary>
    /// FUNCTION STATS: the running function (name, command, duration) and the engine's counts. Also answered
    /// while a function holds the store lock past its time limit, so it reads only what a run cannot change.
    /// </summary>
    public static void WriteStats(CinnabarServer server, RespWriter w)
    {
        var scripting = server.Scripting;
        var run = scripting.Current;
        w.WriteMapHeader(2);
        w.WriteBulk("running_script");
        if (run == null) w.WriteNull();
        else
        {
            w.WriteMapHeader(3);
            w.WriteBulk("name");
            w.WriteBulk(run.FunctionName);
            w.WriteBulk("command");
            var args = run.CallerArguments;
            w.WriteArrayHeader(args.Length);
            foreach (var a in args) w.WriteBulk(a);
            w.WriteBulk("duration_ms");
            w.WriteInteger(run.ElapsedMs);
        }
        w.WriteBulk("engines");
        w.WriteMapHeader(1);
        w.WriteBulk(FunctionLibrary.EngineName);
        w.WriteMapHeader(2);
        w.WriteBulk("libraries_count");
        var libraries = scripting.Functions.Libraries;
        w.WriteInteger(libraries.Count);
        w.WriteBulk("functions_count");
        w.WriteInteger(libraries.Values.Sum(l => l.Functions.Count));
    }

    [RedisCommand("FUNCTION DUMP")]
    public static void Dump(CommandContext ctx) =>
        ctx.Reply.WriteBulk(FunctionDumpPayload.Encode(ctx.Server.Scripting.Functions.Libraries.Values));

    [RedisCommand("FUNCTION RESTORE")]
    public static void Restore(CommandContext ctx)
    {
        if (ctx.ArgCount > 4)
        {
            StreamGroupCommands.SubcommandSyntaxError(ctx);
            return;
        }
        var policy = FunctionEngine.RestorePolicy.Append;
        if (ctx.ArgCount == 4)
        {
            if (ctx.ArgIs(3, "APPEND"u8)) policy = FunctionEngine.RestorePolicy.Append;
            else if (ctx.ArgIs(3, "REPLACE"u8)) policy = FunctionEngine.RestorePolicy.Replace;
            else if (ctx.ArgIs(3, "FLUSH"u8)) policy = FunctionEngine.RestorePolicy.Flush;
            else
            {
                ctx.Error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
                return;
            }
        }
        var payload = ctx.Arg(2);
        if (!FunctionDumpPayload.Verify(payload))
        {
            ctx.Error("ERR DUMP payload version or checksum are wrong");
            return;
        }
        var codes = FunctionDumpPayload.Decode(payload, out var decodeError);
        var error = codes == null ? "ERR " + decodeError : ctx.Server.Scripting.Functions.Restore(codes, policy);
        if (error != null)
        {
            ctx.Error(error);
            return;
        }
        ctx.Server.Dirty++;
        ctx.Reply.WriteOk();
    }

    private static readonly string[] HelpLines =
    [
        "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "LOAD [REPLACE] <FUNCTION CODE>",
        "    Create a new library with the given library name and code.",
        "DELETE <LIBRARY NAME>",
        "    Delete the given library.",
        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
        "    Return general information on all the libraries:",
        "    * Library name",
        "    * The engine used to run the Library",
        "    * Library description",
        "    * Functions list",
        "    * Library code (if WITHCODE is given)",
        "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
        "STATS",
        "    Return information about the current function running:",
        "    * Function name",
        "    * Command used to run the function",
        "    * Duration in MS that the function is running",
        "    If no function is running, return nil",
        "    In addition, returns a list of available engines.",
        "KILL",
        "    Kill the current running function.",
        "FLUSH [ASYNC|SYNC]",
        "    Delete all the libraries.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the libraries.",
        "    * SYNC: Synchronously flush the libraries.",
        "DUMP",
        "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
        "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
        "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
        "    control how to handle existing libraries (default APPEND):",
        "    * FLUSH: delete all existing libraries.",
        "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
        "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
        "      libraries with the new libraries (notice that even on this option there is a chance of failure",
        "      in case of functions name collision with another library).",
        "HELP",
        "    Prints this help.",
    ];

    [RedisCommand("FUNCTION HELP")]
    public static void Help(CommandContext ctx)
    {
        ctx.Reply.WriteArrayHeader(HelpLines.Length);
        foreach (var line in HelpLines) ctx.Reply.WriteSimpleString(line);
    }
}
