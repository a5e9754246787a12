using System.Collections.Concurrent;

namespace Cinnabar.Storage;

/// <summary>
/// Blocks of native memory let go by their owners, each freed once a delay has passed since (see
/// <see cref="NativeHeap.FreeLater"/>). Any thread may add; one thread at a time frees. The clock is the
/// caller's (milliseconds), so the order and timing can be tested without waiting.
/// </summary>
internal sealed class DeferredFrees(long delayMs, Action<nint, long> free)
{
    private readonly ConcurrentQueue<(nint Block, long Bytes, long Due)> _queue = new();

    /// <summary>Blocks waiting.</summary>
    public int Count => _queue.Count;

    /// <summary>When the oldest waiting block is due (milliseconds of the caller's clock), or -1 when none waits.</summary>
    public long NextDue => _queue.TryPeek(out var head) ? head.Due : -1;

    public void Add(nint block, long bytes, long nowMs) => _queue.Enqueue((block, bytes, nowMs + delayMs));

    /// <summary>Frees every block due at <paramref name="nowMs"/>, oldest first; returns how many.</summary>
    public int FreeDue(long nowMs)
    {
        int freed = 0;
        // Blocks are added with the same delay, so the queue is in order of due time.
        while (_queue.TryPeek(out var head) && head.Due <= nowMs && _queue.TryDequeue(out head))
        {
            free(head.Block, head.Bytes);
            freed++;
        }
        return freed;
    }
}
