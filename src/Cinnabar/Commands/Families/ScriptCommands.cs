namespace Cinnabar.Commands.Families;

/// <summary>EVAL, EVALSHA, their read-only forms and SCRIPT (Redis's eval.c commands); the work is in Scripting/.</summary>
public static class ScriptCommands
{
    [RedisCommand("EVAL")]
    public static void Eval(CommandContext ctx)
    {
        Dispatcher.FeedMonitorsFirst(ctx);
        ctx.Server.Scripting.Eval(ctx, bySha: false, readOnlyCommand: false);
    }

    [RedisCommand("EVAL_RO")]
    public static void EvalRo(CommandContext ctx)
    {
        Dispatcher.FeedMonitorsFirst(ctx);
        ctx.Server.Scripting.Eval(ctx, bySha: false, readOnlyCommand: true);
    }

    [RedisCommand("EVALSHA")]
    public static void EvalSha(CommandContext ctx) => EvalShaGeneric(ctx, readOnly: false);

    [RedisCommand("EVALSHA_RO")]
    public static void EvalShaRo(CommandContext ctx) => EvalShaGeneric(ctx, readOnly: true);

    private static void EvalShaGeneric(CommandContext ctx, bool readOnly)
    {
        Dispatcher.FeedMonitorsFirst(ctx);
        // A SHA of the wrong length cannot match: Redis answers NOSCRIPT before reading numkeys.
        if (ctx.Arg(1).Length != 40)
        {
            ctx.Error(Scripting.ScriptingEngine.NoScriptError);
            return;
        }
        ctx.Server.Scripting.Eval(ctx, bySha: true, readOnlyCommand: readOnly);
    }

    [RedisCommand("SCRIPT LOAD")]
    public static void Load(CommandContext ctx)
    {
        var script = ctx.Server.Scripting.LoadScript(ctx.Arg(2), out var error);
        if (script == null) ctx.Error(error!);
        else ctx.Reply.WriteBulk(script.Sha);
    }

    [RedisCommand("SCRIPT EXISTS")]
    public static void Exists(CommandContext ctx)
    {
        ctx.Reply.WriteArrayHeader(ctx.ArgCount - 2);
        for (int i = 2; i < ctx.ArgCount; i++) ctx.Reply.WriteInteger(ctx.Server.Scripting.ScriptExists(ctx.Arg(i)) ? 1 : 0);
    }

    [RedisCommand("SCRIPT FLUSH")]
    public static void Flush(CommandContext ctx)
    {
        // ASYNC and SYNC both free the cache at once: dropping the references is all there is to free.
        if (ctx.ArgCount == 3 && !ctx.ArgIs(2, "SYNC"u8) && !ctx.ArgIs(2, "ASYNC"u8) || ctx.ArgCount > 3)
        {
            ctx.Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
            return;
        }
        ctx.Server.Scripting.FlushScripts();
        ctx.Reply.WriteOk();
    }

    [RedisCommand("SCRIPT KILL")]
    public static void Kill(CommandContext ctx) => WriteKillOutcome(ctx, ctx.Server.Scripting.Kill(isEval: true));

    /// <summary>OK, or the reason the running script cannot be killed.</summary>
    public static void WriteKillOutcome(CommandContext ctx, string? refusal)
    {
        if (refusal == null) ctx.Reply.WriteOk();
        else ctx.Error(refusal);
    }

    [RedisCommand("SCRIPT DEBUG")]
    public static void Debug(CommandContext ctx)
    {
        // As Redis: replies of earlier commands still waiting to be written mean the client pipelines.
        if (ctx.Reply.Length > 0)
        {
            ctx.Error("ERR SCRIPT DEBUG must be called outside a pipeline");
            return;
        }
        if (ctx.ArgIs(2, "NO"u8))
        {
            ctx.Reply.WriteOk();
            return;
        }
        if (ctx.ArgIs(2, "YES"u8) || ctx.ArgIs(2, "SYNC"u8))
        {
            // Redis's debugger forks the server (or blocks it) to step through a script; Cinnabar has none.
            ctx.Error("ERR SCRIPT DEBUG is not supported by this server: use SCRIPT DEBUG NO");
            return;
        }
        ctx.Error("ERR Use SCRIPT DEBUG YES/SYNC/NO");
    }

    private static readonly string[] HelpLines =
    [
        "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DEBUG (YES|SYNC|NO)",
        "    Set the debug mode for subsequent scripts executed.",
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.",
        "HELP",
        "    Prints this help.",
    ];

    [RedisCommand("SCRIPT HELP")]
    public static void Help(CommandContext ctx)
    {
        ctx.Reply.WriteArrayHeader(HelpLines.Length);
        foreach (var line in HelpLines) ctx.Reply.WriteSimpleString(line);
    }
}
