namespace Cinnabar.Storage;

/// <summary>
/// The bucket arrays of a table that resizes as Redis's dict does: the main array and, while a resize is under
/// way, the target array its chains move to, a bucket at a time from <see cref="RehashIndex"/> on. The main
/// array's buckets below that index have moved and are empty, so a lookup skips them. Shared by the key table
/// and the large hashes' <see cref="Types.BytesHashTable"/>; a mutable struct held in a field of its table, so
/// a lookup reads the arrays as the table's own fields.
/// </summary>
internal struct RehashingBuckets(int length)
{
    public BucketArray Main = new(length);
    public BucketArray? Target;
    /// <summary>The next bucket of <see cref="Main"/> to move (while <see cref="Target"/> is set).</summary>
    public int RehashIndex;

    public readonly bool IsRehashing => Target != null;

    /// <summary>Buckets in both arrays.</summary>
    public readonly int Length => Main.Length + (Target?.Length ?? 0);

    /// <summary>Bytes of both arrays (native).</summary>
    public readonly long Bytes => Main.Bytes + (Target?.Bytes ?? 0);

    /// <summary>The array a new slot is chained into: the target while a resize is under way.</summary>
    public readonly BucketArray ForInsert => Target ?? Main;

    /// <summary>False when the main array's bucket for <paramref name="hash"/> has already moved (it is empty).</summary>
    public readonly bool MainMayHold(int hash) => Target == null || Main.BucketOf(hash) >= RehashIndex;

    public void StartResize(int length)
    {
        Target = new BucketArray(length);
        RehashIndex = 0;
    }

    /// <summary>
    /// Moves the next non-empty bucket below <paramref name="end"/> to the target, passing over empty ones while
    /// <paramref name="emptyVisits"/> lasts; false when nothing was moved (the end reached or the visits spent).
    /// </summary>
    public bool MoveNextChain<TLinks>(int end, ref int emptyVisits, TLinks links) where TLinks : struct, IChainLinks
    {
        while (RehashIndex < end && Main.Head(RehashIndex) < 0)
        {
            RehashIndex++;
            if (--emptyVisits <= 0) return false;
        }
        if (RehashIndex >= end) return false;
        Main.MoveChainTo(RehashIndex++, Target!, links);
        return true;
    }

    /// <summary>True once every bucket of the main array has moved.</summary>
    public readonly bool AllMoved => RehashIndex >= Main.Length;

    /// <summary>Ends the resize: the main array is freed and the target takes its place.</summary>
    public void Finish()
    {
        Main.Dispose();
        Main = Target!;
        Target = null;
        RehashIndex = 0;
    }

    /// <summary>Takes <paramref name="slot"/> out of its chain, in whichever array holds it; false when neither does.</summary>
    public readonly bool Unlink<TLinks>(int slot, int hash, TLinks links) where TLinks : struct, IChainLinks =>
        Main.Unlink(slot, hash, links) || (Target != null && Target.Unlink(slot, hash, links));

    /// <summary>A copy of both arrays (COPY of a value).</summary>
    public readonly RehashingBuckets Clone()
    {
        var copy = new RehashingBuckets(Main.Length) { RehashIndex = RehashIndex };
        copy.Main.CopyFrom(Main);
        if (Target != null)
        {
            copy.Target = new BucketArray(Target.Length);
            copy.Target.CopyFrom(Target);
        }
        return copy;
    }

    /// <summary>
    /// For DEBUG HTSTATS: the chain length of every bucket of the main array (0) or of the target (1), or null when
    /// that array does not exist.
    /// </summary>
    public readonly int[]? ChainLengths<TLinks>(int table, TLinks links) where TLinks : struct, IChainLinks
    {
        var buckets = table == 0 ? Main : Target;
        if (buckets == null) return null;
        var lengths = new int[buckets.Length];
        for (int b = 0; b < buckets.Length; b++)
            for (int slot = buckets.Head(b); slot >= 0; slot = links.Next(slot)) lengths[b]++;
        return lengths;
    }

    /// <summary>Frees both arrays (the table is emptied).</summary>
    public readonly void Dispose()
    {
        Main.Dispose();
        Target?.Dispose();
    }
}
