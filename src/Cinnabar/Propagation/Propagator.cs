using Cinnabar.Protocol;

namespace Cinnabar.Propagation;

/// <summary>
/// Receives the effects of each top-level unit (a command, a whole EXEC, later a whole script), already in
/// replayable RESP: SELECT where the database changes, MULTI/EXEC around a unit of several writes.
/// The AOF writer and replica links are sinks; tests attach an <see cref="EffectsStream"/>.
/// </summary>
public interface IEffectsSink
{
    void Append(ReadOnlySpan<byte> resp);

    /// <summary>
    /// The end of a batch, before any of its replies leave (Redis's beforeSleep): where an append-only file
    /// writes, and fsyncs when its policy says so, what was appended.
    /// </summary>
    void EndOfBatch() { }
}

/// <summary>
/// Redis's propagate / alsoPropagate. While a top-level call runs, the writes it makes are collected in order
/// (a key deleted by lazy expiry first, then the command, or the forms its handler asked for instead); when the
/// outermost call ends they are encoded once and handed to every sink. Effects made outside any call (active
/// expiry in the cron) form a unit of their own. Costs nothing while no sink is attached.
/// Used with the store lock held.
/// </summary>
public sealed class Propagator
{
    private readonly List<IEffectsSink> _sinks = [];
    private readonly List<(int Db, byte[][] Argv)> _pending = [];
    private readonly RespWriter _encoder = new(1024);
    private int _depth;
    private int _selectedDb = -1;

    private static readonly byte[] Select = "SELECT"u8.ToArray();
    private static readonly byte[] Multi = "MULTI"u8.ToArray();
    private static readonly byte[] Exec = "EXEC"u8.ToArray();

    /// <summary>True when a sink wants the effects: only then do handlers build their propagated forms.</summary>
    public bool Active => _sinks.Count > 0;

    public void Attach(IEffectsSink sink)
    {
        _sinks.Add(sink);
        // A new consumer starts without a selected database: the first unit it gets begins with SELECT.
        _selectedDb = -1;
    }

    public void Detach(IEffectsSink sink) => _sinks.Remove(sink);

    /// <summary>A call starts (calls nest: EXEC runs its commands inside its own call).</summary>
    public void Enter() => _depth++;

    /// <summary>A call ends; the outermost one hands the unit's effects to the sinks.</summary>
    public void Exit()
    {
        if (--_depth == 0 && _pending.Count > 0) Flush();
    }

    /// <summary>The server's end-of-batch step: every sink reaches its write point before replies go out.</summary>
    public void EndOfBatch()
    {
        foreach (var sink in _sinks) sink.EndOfBatch();
    }

    /// <summary>Adds one write, in database <paramref name="db"/>, to the current unit (or as a unit of its own outside any call).</summary>
    public void Add(int db, byte[][] argv)
    {
        if (!Active) return;
        _pending.Add((db, argv));
        if (_depth == 0) Flush();
    }

    private void Flush()
    {
        var w = _encoder;
        w.Clear();
        bool wrap = _pending.Count > 1;
        if (wrap)
        {
            // SELECT goes before MULTI when the first write needs it, so the transaction holds only writes.
            SelectIfNeeded(w, _pending[0].Db);
            WriteCommand(w, [Multi]);
        }
        foreach (var (db, argv) in _pending)
        {
            SelectIfNeeded(w, db);
            WriteCommand(w, argv);
        }
        if (wrap) WriteCommand(w, [Exec]);
        _pending.Clear();
        foreach (var sink in _sinks) sink.Append(w.WrittenSpan);
        w.ShrinkIfLarge();
    }

    private void SelectIfNeeded(RespWriter w, int db)
    {
        if (db == _selectedDb) return;
        _selectedDb = db;
        WriteCommand(w, [Select, System.Text.Encoding.ASCII.GetBytes(db.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
    }

    private static void WriteCommand(RespWriter w, byte[][] argv)
    {
        w.WriteArrayHeader(argv.Length);
        foreach (var a in argv) w.WriteBulk(a);
    }
}

/// <summary>An effects stream kept in memory: every unit appended in order (tests; later the AOF and replica feeds).</summary>
public sealed class EffectsStream : IEffectsSink
{
    private readonly System.Buffers.ArrayBufferWriter<byte> _bytes = new(64 * 1024);

    public void Append(ReadOnlySpan<byte> resp) => System.Buffers.BuffersExtensions.Write(_bytes, resp);

    /// <summary>Everything appended so far, as RESP commands.</summary>
    public ReadOnlyMemory<byte> Written => _bytes.WrittenMemory;
}

/// <summary>Command names and arguments of the propagated forms, encoded once.</summary>
public static class Verbs
{
    public static readonly byte[] Set = "SET"u8.ToArray();
    public static readonly byte[] PxAt = "PXAT"u8.ToArray();
    public static readonly byte[] KeepTtl = "KEEPTTL"u8.ToArray();
    public static readonly byte[] PExpireAt = "PEXPIREAT"u8.ToArray();
    public static readonly byte[] Persist = "PERSIST"u8.ToArray();
    public static readonly byte[] Del = "DEL"u8.ToArray();
    public static readonly byte[] SRem = "SREM"u8.ToArray();
    public static readonly byte[] HSet = "HSET"u8.ToArray();
    public static readonly byte[] LPop = "LPOP"u8.ToArray();
    public static readonly byte[] RPop = "RPOP"u8.ToArray();
    public static readonly byte[] LMove = "LMOVE"u8.ToArray();
    public static readonly byte[] LMPop = "LMPOP"u8.ToArray();
    public static readonly byte[] ZPopMin = "ZPOPMIN"u8.ToArray();
    public static readonly byte[] ZPopMax = "ZPOPMAX"u8.ToArray();
    public static readonly byte[] ZMPop = "ZMPOP"u8.ToArray();
    public static readonly byte[] Left = "LEFT"u8.ToArray();
    public static readonly byte[] Right = "RIGHT"u8.ToArray();
    public static readonly byte[] Min = "MIN"u8.ToArray();
    public static readonly byte[] Max = "MAX"u8.ToArray();
    public static readonly byte[] Count = "COUNT"u8.ToArray();
    public static readonly byte[] One = "1"u8.ToArray();

    /// <summary>A number as a decimal argument.</summary>
    public static byte[] Number(long value) => System.Text.Encoding.ASCII.GetBytes(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
