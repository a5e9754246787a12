namespace Cinnabar.Protocol;

/// <summary>
/// The arguments of one parsed command, as (offset, length) pairs into the buffer they were parsed from,
/// so parsing copies nothing. Inline commands whose arguments had quotes or escapes are unescaped into a
/// side buffer owned by this object. Valid until the source buffer is compacted or reused.
/// The arrays are made on first use and then kept, so a list that was never filled (an idle connection's)
/// costs only this object, and one that was is reused by every later command without allocating.
/// </summary>
public sealed class CommandArgs
{
    private const int FirstCapacity = 8;
    private const int FirstSideSize = 256;

    private int[] _offsets = [];
    private int[] _lengths = [];
    private bool[] _inSide = [];
    private byte[] _source = [];
    private byte[] _side = [];
    private int _sideUsed;

    public int Count { get; private set; }

    /// <summary>How many arguments fit before the arrays grow (0 until the first argument).</summary>
    public int Capacity => _offsets.Length;

    /// <summary>The buffer the offsets refer to.</summary>
    public byte[] Source => _source;

    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
            var buf = _inSide[index] ? _side : _source;
            return new ReadOnlySpan<byte>(buf, _offsets[index], _lengths[index]);
        }
    }

    public int Length(int index) => _lengths[index];

    public void Reset(byte[] source)
    {
        _source = source;
        Count = 0;
        _sideUsed = 0;
    }

    /// <summary>
    /// Keeps the arguments parsed so far after their bytes moved: to <paramref name="source"/>, shifted by
    /// <paramref name="delta"/> (a resumed parse after the input buffer was compacted or grown).
    /// </summary>
    public void Rebase(byte[] source, int delta)
    {
        _source = source;
        for (int i = 0; i < Count; i++)
            if (!_inSide[i]) _offsets[i] += delta;
    }

    public void Add(int offset, int length)
    {
        EnsureSlot();
        _offsets[Count] = offset;
        _lengths[Count] = length;
        _inSide[Count] = false;
        Count++;
    }

    /// <summary>Adds an argument whose bytes are copied (used for unescaped inline arguments).</summary>
    public void AddCopy(ReadOnlySpan<byte> bytes)
    {
        EnsureSlot();
        if (_sideUsed + bytes.Length > _side.Length)
            Array.Resize(ref _side, Math.Max(Math.Max(_side.Length * 2, FirstSideSize), _sideUsed + bytes.Length));
        bytes.CopyTo(_side.AsSpan(_sideUsed));
        _offsets[Count] = _sideUsed;
        _lengths[Count] = bytes.Length;
        _inSide[Count] = true;
        _sideUsed += bytes.Length;
        Count++;
    }

    /// <summary>Replaces the argument list with the given byte arrays (used when replaying queued commands).</summary>
    public void Load(IReadOnlyList<byte[]> args)
    {
        Count = 0;
        _sideUsed = 0;
        foreach (var a in args) AddCopy(a);
    }

    /// <summary>Copies every argument into fresh arrays (for MULTI queues, blocked clients, propagation).</summary>
    public byte[][] ToArrays()
    {
        var result = new byte[Count][];
        for (int i = 0; i < Count; i++) result[i] = this[i].ToArray();
        return result;
    }

    /// <summary>Drops the first <paramref name="n"/> arguments (used to run a command's tail as a command).</summary>
    public void Shift(int n)
    {
        Array.Copy(_offsets, n, _offsets, 0, Count - n);
        Array.Copy(_lengths, n, _lengths, 0, Count - n);
        Array.Copy(_inSide, n, _inSide, 0, Count - n);
        Count -= n;
    }

    private void EnsureSlot()
    {
        if (Count < _offsets.Length) return;
        int n = Math.Max(_offsets.Length * 2, FirstCapacity);
        Array.Resize(ref _offsets, n);
        Array.Resize(ref _lengths, n);
        Array.Resize(ref _inSide, n);
    }
}
