using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cinnabar.Storage;

/// <summary>
/// The bucket array of a key table: the head slot of each chain, in native memory. A managed int[] of 16M
/// buckets (a table past 8M keys doubling) cost the command that started the resize 240 ms: the runtime
/// zeroes a large array and faults in its pages before handing it out, a full collection may run to make
/// room for it, and the -1 fill touched every page again. Here the array comes zeroed from calloc, which
/// maps fresh pages for large sizes (the kernel zeroes each page when the rehash first touches it, as Redis's
/// dict gets its table), and a table's old array is unmapped when its rehash ends instead of waiting as 64 MB
/// of garbage for a full collection. Heads are stored complemented (~slot), so a zero cell is an empty
/// bucket (-1) without a fill.
/// Only its key table uses it, always under the store lock, and frees it when the array is replaced; a
/// table that is simply dropped (FLUSHALL, a database replaced by a load) has its array freed by the
/// finalizer.
/// </summary>
internal sealed unsafe class BucketArray : IDisposable
{
    private int* _cells;

    public int Length { get; }

    public BucketArray(int length)
    {
        if (length <= 0 || (length & (length - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(length));
        _cells = (int*)NativeMemory.AllocZeroed((nuint)length, sizeof(int));
        Length = length;
    }

    /// <summary>Bytes of the array (counted in the key table's overhead).</summary>
    public long Bytes => (long)Length * sizeof(int);

    /// <summary>The bucket of a hash: the low bits, Length being a power of two.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int BucketOf(int hash) => hash & (Length - 1);

    /// <summary>The first slot of the bucket's chain, or -1 when it is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Head(int bucket) => ~_cells[bucket];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetHead(int bucket, int slot) => _cells[bucket] = ~slot;

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    ~BucketArray() => Free();

    private void Free()
    {
        if (_cells == null) return;
        NativeMemory.Free(_cells);
        _cells = null;
    }
}
