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

    /// <summary>Moves the chain of <paramref name="bucket"/> into <paramref name="target"/> (a rehash step), leaving the bucket empty.</summary>
    public void MoveChainTo<TLinks>(int bucket, BucketArray target, TLinks links) where TLinks : struct, IChainLinks
    {
        for (int slot = Head(bucket); slot >= 0;)
        {
            ref int next = ref links.Next(slot);
            int following = next;
            int to = target.BucketOf(links.Hash(slot));
            next = target.Head(to);
            target.SetHead(to, slot);
            slot = following;
        }
        SetHead(bucket, -1);
    }

    /// <summary>Takes <paramref name="slot"/> out of the chain of its <paramref name="hash"/>; false when it is not in this array.</summary>
    public bool Unlink<TLinks>(int slot, int hash, TLinks links) where TLinks : struct, IChainLinks
    {
        int bucket = BucketOf(hash);
        int head = Head(bucket);
        if (head == slot)
        {
            SetHead(bucket, links.Next(slot));
            return true;
        }
        for (int s = head; s >= 0; s = links.Next(s))
        {
            ref int next = ref links.Next(s);
            if (next != slot) continue;
            next = links.Next(slot);
            return true;
        }
        return false;
    }
}

/// <summary>How a table's entries are chained: the link to the next slot of a chain, and the hash of a slot's key.</summary>
internal interface IChainLinks
{
    ref int Next(int slot);

    int Hash(int slot);
}
