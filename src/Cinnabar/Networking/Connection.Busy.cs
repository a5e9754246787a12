using Cinnabar.Commands;
using Cinnabar.Protocol;

namespace Cinnabar.Networking;

/// <summary>
/// A connection while a script holds the store lock past busy-reply-threshold (Redis's
/// processEventsWhileBlocked): its commands are parsed without the lock and answered -BUSY, except SCRIPT KILL,
/// FUNCTION KILL and SHUTDOWN NOSAVE, which act on the running script.
/// </summary>
public sealed partial class Connection
{
    private const int BusyPollMs = 10;

    private RespWriter? _busyWriter;

    private enum GateEntry { Entered, ServedWhileBusy, MustWait }

    /// <summary>
    /// Takes the store lock (<see cref="GateEntry.Entered"/>). While a script keeps it past its time limit,
    /// serves the commands already received instead (<see cref="GateEntry.ServedWhileBusy"/> when all were
    /// answered: the caller goes back to receiving). A command that needs the lock meanwhile (AUTH, MULTI…)
    /// waits for it, but with <paramref name="mayNotWait"/> (a thread that serves other connections) the
    /// answer is <see cref="GateEntry.MustWait"/>: the caller moves to a pool thread first, so the other
    /// clients keep getting -BUSY and SCRIPT KILL keeps working.
    /// </summary>
    private GateEntry EnterGateOrServeBusy(bool mayNotWait)
    {
        var gate = _server.Gate;
        if (gate.TryEnter()) return GateEntry.Entered;
        while (true)
        {
            if (gate.TryEnter(BusyPollMs)) return GateEntry.Entered;
            if (_server.BusyScript == BusyScriptKind.None) continue;
            if (ServeWhileBusy()) return GateEntry.ServedWhileBusy;
            if (mayNotWait) return GateEntry.MustWait;
        }
    }

    /// <summary>Answers the queued commands without the lock; false when one must wait for it.</summary>
    private bool ServeWhileBusy()
    {
        var writer = _busyWriter ??= new RespWriter(256) { Protocol = Writer.Protocol };
        writer.Protocol = Writer.Protocol;
        bool servedAll = true;
        lock (_inputLock)
        {
            ParseAvailable();
            while (_head < _tail)
            {
                var busy = _server.BusyScript;
                if (busy == BusyScriptKind.None) { servedAll = false; break; }
                if (_slotIsCommand[_head] && !AnswerWhileBusy(_slots[_head], writer, busy)) { servedAll = false; break; }
                ConsumeHead();
            }
            // A protocol error is answered, and the connection closed, by the executor.
            if (_protocolError != null) servedAll = false;
            if (_head == _tail) RecycleSlots();
        }
        SendBusyReplies(writer);
        return servedAll;
    }

    /// <summary>One command while busy; false when it needs the lock (it stays in the buffer).</summary>
    private bool AnswerWhileBusy(CommandArgs args, RespWriter writer, BusyScriptKind busy)
    {
        string busyError = busy == BusyScriptKind.Function ? Dispatcher.BusyFunctionError : Dispatcher.BusyScriptError;
        // As the gate: lookup and arity errors come before BUSY.
        var def = _server.Commands.Find(args[0]);
        string? error = null;
        if (def == null)
        {
            var tail = new System.Text.StringBuilder();
            for (int i = 1; i < args.Count && tail.Length < 128; i++)
                tail.Append('\'').Append(Dispatcher.Printable(args[i], 128 - tail.Length)).Append("' ");
            error = $"ERR unknown command '{Dispatcher.Printable(args[0], 128)}', with args beginning with: {tail}";
        }
        else if (def.Subcommands != null && (def.Handler == null || args.Count >= 2))
        {
            if (args.Count < 2) error = $"ERR wrong number of arguments for '{def.DisplayName}' command";
            else if (def.FindSubcommand(args[1]) is { } sub) def = sub;
            else error = $"ERR unknown subcommand '{Dispatcher.Printable(args[1], 128)}'. Try {def.Name} HELP.";
        }
        if (error == null && def != null && ((def.Arity > 0 && args.Count != def.Arity) || args.Count < -def.Arity))
            error = $"ERR wrong number of arguments for '{def.DisplayName}' command";
        if (error == null && (def!.Flags & CommandFlags.AllowBusy) == 0) error = busyError;
        if (error != null)
        {
            _server.Stats.CountError(error);
            writer.WriteError(error);
            return true;
        }
        switch (def!.DisplayName)
        {
            case "script|kill":
            case "function|kill":
                var refusal = _server.Scripting.Kill(isEval: def.DisplayName == "script|kill");
                if (refusal == null) writer.WriteOk();
                else
                {
                    _server.Stats.CountError(refusal);
                    writer.WriteError(refusal);
                }
                return true;
            case "function|stats":
                if (busy == BusyScriptKind.Eval)
                {
                    _server.Stats.CountError(busyError);
                    writer.WriteError(busyError);
                }
                else Commands.Families.FunctionCommands.WriteStats(_server, writer);
                return true;
            case "shutdown":
                for (int i = 1; i < args.Count; i++)
                {
                    if (!System.Text.Ascii.EqualsIgnoreCase(args[i], "NOSAVE"u8)) continue;
                    // Nothing is saved, so the script is stopped where it is and the server exits.
                    _server.Scripting.AbortForShutdown();
                    _server.Rdb.SaveForShutdown(save: false, force: false);
                    Client.CloseAfterReply = true;
                    _server.RequestShutdown();
                    return true;
                }
                _server.Stats.CountError(busyError);
                writer.WriteError(busyError);
                return true;
            default:
                // AUTH, HELLO, MULTI, WATCH… change state the script may be using: they wait for it to end.
                return false;
        }
    }

    private void SendBusyReplies(RespWriter writer)
    {
        _transport.SendAll(writer.WrittenSpan);
        writer.Clear();
    }
}
