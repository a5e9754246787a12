using System.Buffers;

namespace Cinnabar.Lua.Lib;

/// <summary>
/// A byte builder on arrays rented from the shared pool: a library function that builds a large result
/// (gsub of a long subject) allocates only the result instead of a buffer, its regrowths and the result.
/// Pass it by ref; Dispose returns the array (a builder dropped by an error just leaves it to the GC).
/// </summary>
internal struct PooledBytes(int capacity) : IDisposable
{
    byte[] _b = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 64));
    public int Count;

    public void Add(byte c)
    {
        if (Count == _b.Length) Grow(1);
        _b[Count++] = c;
    }

    public void Add(ReadOnlySpan<byte> s)
    {
        if (_b.Length - Count < s.Length) Grow(s.Length);
        s.CopyTo(_b.AsSpan(Count));
        Count += s.Length;
    }

    void Grow(int n)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_b.Length * 2, Count + n));
        _b.AsSpan(0, Count).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_b);
        _b = bigger;
    }

    public readonly byte[] ToArray() => _b.AsSpan(0, Count).ToArray();

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_b);
        _b = [];
        Count = 0;
    }
}
