using System.Runtime.CompilerServices;

namespace Cinnabar.Storage;

/// <summary>
/// The bucket array of a key table: the head slot of each chain (<see cref="NativeArray{T}"/> says why native).
/// Heads are stored complemented (~slot), so the zeroed cells of a new array are empty buckets (-1): a -1 fill
/// would touch every page of a 64 MB array up front.
/// </summary>
internal sealed class BucketArray(int length) : NativeArray<int>(length)
{
    /// <summary>The bucket of a hash: its low bits (the length is a power of two).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int BucketOf(int hash) => hash & (Length - 1);

    /// <summary>The first slot of the bucket's chain, or -1 when it is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Head(int bucket) => ~this[bucket];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetHead(int bucket, int slot) => this[bucket] = ~slot;
}
