using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cinnabar.Storage;

/// <summary>
/// An array of plain values in native memory, for the arrays that grow by doubling to hundreds of megabytes:
/// the key table's buckets and volatile-key index, a large hash's, set's or sorted set's buckets and entries. As managed arrays, the command that grew one paid for
/// it all at once: at 8M keys a SET waited 240 ms for a zeroed, faulted-in int[] of 16M buckets and 367 ms
/// for the volatile index's copy into arrays twice as large, and the old arrays stayed as garbage for a full
/// collection. Here a new array is calloc'd (fresh mapped pages for a large size, zeroed by the kernel as
/// they are first touched), a resize is a realloc (which remaps a large block's pages rather than copying
/// them) and a dropped array is freed at once. The owner uses it under the store lock and disposes it when
/// it replaces it; an owner that is dropped whole (FLUSHALL, a database replaced by a load) has it freed by
/// the finalizer.
/// </summary>
internal unsafe class NativeArray<T> : IDisposable where T : unmanaged
{
    private T* _cells;

    public NativeArray(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        _cells = (T*)NativeHeap.Allocate((long)length * sizeof(T), zeroed: true);
        Length = length;
    }

    public int Length { get; private set; }

    /// <summary>Bytes of the array (counted in its owner's overhead).</summary>
    public long Bytes => (long)Length * sizeof(T);

    public ref T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index >= (uint)Length) ThrowIndex();
            return ref _cells[index];
        }
    }

    /// <summary>Grows or shrinks the array keeping its first values; cells past the old length are not cleared.</summary>
    public void Resize(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        _cells = (T*)NativeHeap.Reallocate(_cells, Bytes, (long)length * sizeof(T));
        Length = length;
    }

    /// <summary>Copies all of <paramref name="source"/>, an array of the same length, into this one (COPY of a value).</summary>
    public void CopyFrom(NativeArray<T> source)
    {
        if (source.Length != Length) throw new ArgumentException("arrays of different lengths", nameof(source));
        new ReadOnlySpan<T>(source._cells, Length).CopyTo(new Span<T>(_cells, Length));
    }

    /// <summary>Copies all of <paramref name="source"/>, an array no longer than this one, into this one's first cells.</summary>
    public void CopyPrefixFrom(NativeArray<T> source)
    {
        if (source.Length > Length) throw new ArgumentException("source longer than the array", nameof(source));
        new ReadOnlySpan<T>(source._cells, source.Length).CopyTo(new Span<T>(_cells, source.Length));
    }

    /// <summary>Frees the array now: its owner replaced it and holds no reference into it.</summary>
    public void Dispose()
    {
        Free(later: false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the array a moment from now (<see cref="NativeHeap.FreeLater"/>): the running command may still hold a reference into it.</summary>
    public void Retire()
    {
        Free(later: true);
        GC.SuppressFinalize(this);
    }

    // Dropped with its owner: a command that dropped the owner may still hold a reference into it.
    ~NativeArray() => Free(later: true);

    private void Free(bool later)
    {
        if (_cells == null) return;
        if (later) NativeHeap.FreeLater(_cells, Bytes);
        else NativeHeap.FreeNow(_cells, Bytes);
        _cells = null;
        Length = 0;
    }

    private static void ThrowIndex() => throw new IndexOutOfRangeException();
}
