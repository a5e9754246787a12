using System.Text;
using Cinnabar.Protocol;
using Cinnabar.Storage;

namespace Cinnabar.Commands;

/// <summary>
/// What a handler sees: the arguments of the command being run, the client, its selected database and
/// the reply writer. One per client, reused for every command, so running a command allocates nothing.
/// </summary>
public sealed class CommandContext
{
    public const string WrongTypeError = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public const string NotIntegerError = "ERR value is not an integer or out of range";
    public const string NotFloatError = "ERR value is not a valid float";
    public const string SyntaxErrorText = "ERR syntax error";

    public CommandContext(CinnabarServer server, Client client, RespWriter reply)
    {
        Server = server;
        Client = client;
        Reply = reply;
    }

    public CinnabarServer Server { get; }
    public Client Client { get; }
    public RespWriter Reply { get; set; }
    public CommandArgs Args { get; set; } = new();
    public CommandDef Command { get; set; } = null!;

    public Database Db => Client.Db;
    public int ArgCount => Args.Count;
    public long NowMs => Server.NowMs;

    /// <summary>Set by <see cref="Error"/>; the dispatcher counts failed calls from it.</summary>
    public bool ErrorWritten { get; set; }
    /// <summary>When the running command started (<see cref="Dispatcher.Call"/>'s clock), for timers it starts.</summary>
    public long CallStart { get; set; }

    public ReadOnlySpan<byte> Arg(int i) => Args[i];
    public byte[] ArgBytes(int i) => Args[i].ToArray();

    public string ArgString(int i) => Encoding.UTF8.GetString(Args[i]);

    /// <summary>An argument as Redis prints it inside an error (C string: it ends at the first NUL byte).</summary>
    public string ArgText(int i) => Dispatcher.Printable(Args[i], int.MaxValue);

    /// <summary>Case-insensitive comparison of argument <paramref name="i"/> with an ASCII token, e.g. "NX"u8.</summary>
    public bool ArgIs(int i, ReadOnlySpan<byte> token) => Ascii.EqualsIgnoreCase(Args[i], token);

    /// <summary>Parses a strict integer argument; on failure writes Redis's error and returns false.</summary>
    public bool TryArgLong(int i, out long value, string error = NotIntegerError)
    {
        if (RespParser.TryParseLong(Args[i], out value)) return true;
        Error(error);
        return false;
    }

    /// <summary>Parses a float argument as Redis's strtold-based parsing does; on failure writes the error.</summary>
    public bool TryArgDouble(int i, out double value, string error = NotFloatError)
    {
        if (NumberParsing.TryParseDouble(Args[i], out value)) return true;
        Error(error);
        return false;
    }

    /// <summary>Writes an error reply (text includes its code, e.g. "ERR ...") and records it for errorstats.</summary>
    public void Error(string message)
    {
        ErrorWritten = true;
        Server.Stats.CountError(message);
        Reply.WriteError(message);
    }

    public void WrongType() => Error(WrongTypeError);

    /// <summary>A HELP reply (Redis's addReplyHelp): the lines as simple strings in one array.</summary>
    public void WriteHelp(string[] lines)
    {
        Reply.WriteArrayHeader(lines.Length);
        foreach (var line in lines) Reply.WriteSimpleString(line);
    }
    public void SyntaxError() => Error(SyntaxErrorText);

    // ---- key lookups: the read lookup and the write lookup, each with its type check ----------------------

    /// <summary>
    /// Redis's lookupKeyRead plus the type check: true with the value (null when the key is missing), or false
    /// after answering WRONGTYPE. Counts keyspace hits and misses.
    /// <para>A small hash or set packed in its key's record comes as a copy (<see cref="KeyTable.ValueAt"/>): its
    /// readers that must not allocate open it with <see cref="Types.StoredHash"/> or <see cref="Types.StoredSet"/>.</para>
    /// </summary>
    public bool TryLookupRead<T>(ReadOnlySpan<byte> key, out T? value) where T : class, IRedisValue
    {
        int slot = Db.LookupReadSlot(key);
        return CheckType(slot < 0 ? null : Found<T>(slot, write: false), out value);
    }

    /// <summary>
    /// Redis's lookupKeyWrite plus the type check, for a command about to change the value: true with the value
    /// (null when the key is missing), or false after answering WRONGTYPE.
    /// <para>A small collection packed in its key's record comes as a copy lent to the command and stored back
    /// when it ends (<see cref="Database.LentValueAt"/>): correct for any writer, at the price of the copy, which
    /// <see cref="Types.StoredHash"/> and <see cref="Types.StoredSet"/> avoid by editing the record in place.</para>
    /// </summary>
    public bool TryLookupWrite<T>(ReadOnlySpan<byte> key, out T? value) where T : class, IRedisValue
    {
        int slot = Db.LookupWriteSlot(key);
        return CheckType(slot < 0 ? null : Found<T>(slot, write: true), out value);
    }

    /// <summary>
    /// What a lookup of <typeparamref name="T"/> found in <paramref name="slot"/> for its type check: the value's
    /// object; for a packed value of that type a copy, lent to the command when it is for writing; or a stand-in that
    /// fails the check.
    /// </summary>
    private object Found<T>(int slot, bool write) where T : class, IRedisValue
    {
        var boxed = Db.Table.BoxedAt(slot);
        if (boxed == null) return PlainString;
        var packed = KeyTable.PackedType(boxed);
        if (packed == null) return boxed;
        if (packed != typeof(T) && !typeof(T).IsAssignableFrom(packed)) return PlainString;
        // A sorted set comes as an object over its record (edited in place); a hash or set as a copy.
        if (Db.Table.ZSetViewAt(slot) is { } view) return view;
        return write ? Db.LentValueAt(slot) : Db.Table.ValueAt(slot);
    }

    /// <summary>Stands for a value of another type in a type check (a string held in its key's record, a packed
    /// collection): no copy of it is made for a WRONGTYPE.</summary>
    private static readonly object PlainString = new();

    private bool CheckType<T>(object? found, out T? value) where T : class, IRedisValue
    {
        value = found as T;
        if (found == null || value != null) return true;
        WrongType();
        return false;
    }

    /// <summary>
    /// Redis's checkAlreadyExpired: an expire time at or before now deletes the key at once, except while an
    /// effects stream is replayed (the stream says when the key went).
    /// </summary>
    public bool AlreadyExpired(long unixMs) => unixMs <= NowMs && !Server.Loading;

    /// <summary>Marks a key as changed: breaks WATCH, and is where keyspace notifications hook in.</summary>
    public void KeyModified(Database db, ReadOnlySpan<byte> key) => Server.OnKeyModified(db, key);

    /// <summary>Raises a keyspace notification of the given class ('g', '$', 'l', 'x' …) and event name.</summary>
    public void Notify(char type, string @event, Database db, ReadOnlySpan<byte> key) => Server.Notify(type, @event, db, key);

    /// <summary>The usual aftermath of a write to one key: <see cref="KeyModified"/>, <see cref="Notify"/>, <see cref="Dirty"/>.</summary>
    public void KeyChanged(char type, string @event, Database db, ReadOnlySpan<byte> key)
    {
        KeyModified(db, key);
        Notify(type, @event, db, key);
        Dirty();
    }

    /// <summary>Deletes a key with the "del" event, WATCH hook and dirty count; false when there was none.</summary>
    public bool DeleteKey(Database db, ReadOnlySpan<byte> key)
    {
        if (!db.Delete(key)) return false;
        KeyChanged('g', "del", db, key);
        return true;
    }

    /// <summary>The flags of the running call (set by <see cref="Dispatcher.Call"/>): who runs it and what it may do.</summary>
    public CallFlags Flags { get; set; }
    /// <summary>True while EXEC runs queued commands (blocking commands then answer as on timeout).</summary>
    public bool InTransaction => (Flags & CallFlags.InMulti) != 0;
    /// <summary>True while a script runs commands through redis.call.</summary>
    public bool InScript => (Flags & CallFlags.InScript) != 0;
    /// <summary>True while a parked command is run again because one of its keys became ready.</summary>
    public bool IsReexecution => (Flags & CallFlags.ServingWaiter) != 0;
    /// <summary>Set by <see cref="Block"/> during a re-execution that still could not be served.</summary>
    public bool BlockedAgain { get; set; }

    /// <summary>Whether a blocking command may park the client (not inside MULTI/EXEC, a script or the AOF loader).</summary>
    public bool CanBlock => (Flags & (CallFlags.InMulti | CallFlags.InScript | CallFlags.Loading)) == 0 && Client.Context == this;

    /// <summary>
    /// Parks the client until one of <paramref name="keys"/> holds a value of a kind in <paramref name="servedBy"/>
    /// (the handler then runs again, with <paramref name="waitState"/> kept for it) or <paramref name="timeoutMs"/>
    /// passes (0 = forever), when <paramref name="onTimeout"/> writes the reply.
    /// </summary>
    public void Block(List<byte[]> keys, long timeoutMs, Blocking.ServedBy servedBy, Action<CommandContext> onTimeout,
        object? waitState = null, Blocking.ReadyKeyHandler? serveReadyKey = null) =>
        Server.Blocking.Block(this, keys, timeoutMs, servedBy, onTimeout, waitState, serveReadyKey);

    private static readonly Action<CommandContext> NullArrayOnTimeout = c => c.Reply.WriteNullArray();

    /// <summary>
    /// The end of every blocking pop that found nothing: parks the client on the <paramref name="keyCount"/> keys
    /// starting at argument <paramref name="firstKey"/> (a timeout answers a null array), or, where blocking is
    /// not allowed (MULTI, scripts), answers the null array at once.
    /// </summary>
    public void BlockOnKeysOrReplyNull(int firstKey, int keyCount, long timeoutMs, Blocking.ServedBy servedBy)
    {
        if (!CanBlock)
        {
            Reply.WriteNullArray();
            return;
        }
        var keys = new List<byte[]>(keyCount);
        for (int i = firstKey; i < firstKey + keyCount; i++) keys.Add(ArgBytes(i));
        Block(keys, timeoutMs, servedBy, NullArrayOnTimeout);
    }

    /// <summary>Tells parked clients that <paramref name="key"/> may serve them now (after a push, ZADD, XADD).</summary>
    public void SignalKeyReady(Database db, ReadOnlySpan<byte> key) => Server.Blocking.SignalKeyReady(db, key);

    // ---- propagation (the effects stream) ----------------------------------------------------------------

    /// <summary>True when the effects stream has a consumer: only then build propagated forms.</summary>
    public bool Propagating => Server.Propagator.Active;

    /// <summary>Set by <see cref="PropagateInstead"/> during the current call.</summary>
    public bool PropagatedInstead { get; set; }

    /// <summary>Set by <see cref="ForcePropagation"/> during the current call.</summary>
    public bool PropagationForced { get; set; }

    /// <summary>
    /// Redis's alsoPropagate + preventCommandPropagation: the command goes to the effects stream as
    /// <paramref name="argv"/> (called once per form; several calls give several commands) instead of as
    /// received. Call only when <see cref="Propagating"/>.
    /// </summary>
    public void PropagateInstead(params byte[][] argv)
    {
        PropagatedInstead = true;
        Server.Propagator.Add(Db.Index, argv);
    }

    /// <summary>Redis's preventCommandPropagation: the command itself never goes (EVAL and FCALL: their writes went).</summary>
    public void PreventPropagation() => PropagatedInstead = true;

    /// <summary>Redis's forceCommandPropagation: the command goes even if it changed nothing (FLUSHDB of an empty database).</summary>
    public void ForcePropagation() => PropagationForced = true;

    /// <summary>Counts a change for persistence (INFO rdb_changes_since_last_save, dirty).</summary>
    public void Dirty(long n = 1) => Server.Dirty += n;
}
