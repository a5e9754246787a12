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

    /// <summary>Which effects this sink takes: the AOF's, the replicas', or both (a script's redis.set_repl chooses per write).</summary>
    PropagationTargets Targets => PropagationTargets.All;

    /// <summary>
    /// The end of a batch, before any of its replies leave (Redis's beforeSleep): where an append-only file
    /// writes, and fsyncs when its policy says so, what was appended.
    /// </summary>
    void EndOfBatch() { }
}

/// <summary>Redis's PROPAGATE_AOF / PROPAGATE_REPL (a script's REPL_AOF / REPL_REPLICA flags have the same values).</summary>
[Flags]
public enum PropagationTargets
{
    None = 0,
    Aof = 1,
    Replicas = 2,
    All = Aof | Replicas,
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
    /// <summary>Each sink with the database its stream has selected (Redis tracks the AOF's and the replicas' apart).</summary>
    private readonly List<SinkState> _sinks = [];
    /// <summary>The pending unit's writes: each one's database, its place in <see cref="_ops"/> and where it goes.</summary>
    private readonly List<(int Db, int Start, int Length, PropagationTargets Targets)> _pending = [];
    /// <summary>The pending writes encoded as RESP commands, one after another (reused: no allocation per write).</summary>
    private readonly RespWriter _ops = new(1024);
    private readonly RespWriter _encoder = new(1024);
    private int _depth;

    private sealed class SinkState(IEffectsSink sink)
    {
        public readonly IEffectsSink Sink = sink;
        /// <summary>A new consumer starts without a selected database: the first unit it gets begins with SELECT.</summary>
        public int SelectedDb = -1;
    }

    /// <summary>SELECT n for each database, encoded once when first needed.</summary>
    private byte[][] _selects = [];

    /// <summary>True when a sink wants the effects: only then do handlers build their propagated forms.</summary>
    public bool Active => _sinks.Count > 0;

    /// <summary>
    /// Where writes added now go: all sinks, except while a script's redis.set_repl narrows it for the
    /// commands it calls (REPL_NONE: nowhere).
    /// </summary>
    public PropagationTargets Targets { get; set; } = PropagationTargets.All;

    /// <summary>What the attached sinks take together: a write meant only for a kind nobody consumes is dropped (Redis's shouldPropagate).</summary>
    private PropagationTargets _consumed;

    public void Attach(IEffectsSink sink)
    {
        _sinks.Add(new SinkState(sink));
        _consumed |= sink.Targets;
    }

    public void Detach(IEffectsSink sink)
    {
        _sinks.RemoveAll(s => s.Sink == sink);
        _consumed = PropagationTargets.None;
        foreach (var s in _sinks) _consumed |= s.Sink.Targets;
    }

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
        foreach (var sink in _sinks) sink.Sink.EndOfBatch();
    }

    /// <summary>Adds one write, in database <paramref name="db"/>, to the current unit (or as a unit of its own outside any call).</summary>
    public void Add(int db, byte[][] argv) => Add(db, argv, Targets);

    /// <summary>Adds a write whose destinations do not follow <see cref="Targets"/> (a key expiring goes everywhere).</summary>
    public void Add(int db, byte[][] argv, PropagationTargets targets)
    {
        targets &= _consumed;
        if (targets == PropagationTargets.None) return;
        int start = _ops.Length;
        _ops.WriteArrayHeader(argv.Length);
        foreach (var a in argv) _ops.WriteBulk(a);
        Pend(db, start, targets);
    }

    /// <summary>Adds the command as received (its arguments are encoded at once, nothing is kept of them).</summary>
    public void Add(int db, Protocol.CommandArgs args)
    {
        var targets = Targets & _consumed;
        if (targets == PropagationTargets.None) return;
        int start = _ops.Length;
        _ops.WriteArrayHeader(args.Count);
        for (int i = 0; i < args.Count; i++) _ops.WriteBulk(args[i]);
        Pend(db, start, targets);
    }

    private void Pend(int db, int start, PropagationTargets targets)
    {
        _pending.Add((db, start, _ops.Length - start, targets));
        if (_depth == 0) Flush();
    }

    private void Flush()
    {
        bool uniform = true;
        foreach (var op in _pending) uniform &= op.Targets == _consumed;
        foreach (var sink in _sinks) uniform &= sink.SelectedDb == _sinks[0].SelectedDb;
        if (uniform)
        {
            // The usual case: every sink takes every write from the same database, so one encoding serves all.
            int selected = _sinks[0].SelectedDb;
            Encode(_consumed, ref selected);
            foreach (var sink in _sinks)
            {
                sink.SelectedDb = selected;
                sink.Sink.Append(_encoder.WrittenSpan);
            }
        }
        else
        {
            foreach (var sink in _sinks)
            {
                Encode(sink.Sink.Targets, ref sink.SelectedDb);
                sink.Sink.Append(_encoder.WrittenSpan);
            }
        }
        _pending.Clear();
        _ops.Clear();
        _ops.ShrinkIfLarge();
        _encoder.ShrinkIfLarge();
    }

    /// <summary>
    /// The pending unit for sinks taking <paramref name="targets"/>: MULTI/EXEC around a unit of more than one
    /// write (counted over all targets, as Redis decides it), SELECT where the database changes.
    /// </summary>
    private void Encode(PropagationTargets targets, ref int selectedDb)
    {
        var w = _encoder;
        w.Clear();
        bool wrap = _pending.Count > 1;
        if (wrap)
        {
            // SELECT goes before MULTI when the first write needs it, so the transaction holds only writes.
            SelectIfNeeded(w, _pending[0].Db, ref selectedDb);
            w.WriteRaw("*1\r\n$5\r\nMULTI\r\n"u8);
        }
        var ops = _ops.WrittenSpan;
        foreach (var (db, start, length, opTargets) in _pending)
        {
            if ((opTargets & targets) == 0) continue;
            SelectIfNeeded(w, db, ref selectedDb);
            w.WriteRaw(ops.Slice(start, length));
        }
        if (wrap) w.WriteRaw("*1\r\n$4\r\nEXEC\r\n"u8);
    }

    private void SelectIfNeeded(RespWriter w, int db, ref int selectedDb)
    {
        if (db == selectedDb) return;
        selectedDb = db;
        if (db >= _selects.Length) Array.Resize(ref _selects, db + 1);
        w.WriteRaw(_selects[db] ??= EncodeSelect(db));
    }

    private static byte[] EncodeSelect(int db)
    {
        var w = new RespWriter(32);
        w.WriteArrayHeader(2);
        w.WriteBulk("SELECT"u8);
        w.WriteBulk(db.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return w.WrittenSpan.ToArray();
    }
}

/// <summary>An effects stream kept in memory: every unit appended in order (tests; later the AOF and replica feeds).</summary>
public sealed class EffectsStream(PropagationTargets targets = PropagationTargets.All) : IEffectsSink
{
    private readonly System.Buffers.ArrayBufferWriter<byte> _bytes = new(64 * 1024);

    public PropagationTargets Targets => targets;

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
