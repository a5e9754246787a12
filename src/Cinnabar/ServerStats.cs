using System.Collections.Concurrent;

namespace Cinnabar;

/// <summary>Counters behind INFO stats and errorstats.</summary>
public sealed class ServerStats
{
    public long TotalConnectionsReceived;
    public long TotalCommandsProcessed;
    public long RejectedConnections;
    public long ExpiredKeys;
    public long EvictedKeys;
    public long KeyspaceHits;
    public long KeyspaceMisses;
    public long TotalNetInputBytes;
    public long TotalNetOutputBytes;
    public long TotalErrorReplies;
    public long ExpiredStalePercentTimes;
    public long ExpireCycleCpuMicros;
    public long UnexpectedErrorReplies;
    public long ClientOutputLimitDisconnections;
    public readonly ConcurrentDictionary<string, long> ErrorCounts = new(StringComparer.Ordinal);

    /// <summary>Counts an error reply under its code (the first word: ERR, WRONGTYPE …), as INFO errorstats.</summary>
    public void CountError(string message)
    {
        Interlocked.Increment(ref TotalErrorReplies);
        int space = message.IndexOf(' ');
        string code = space < 0 ? message : message[..space];
        // Redis caps the number of distinct codes at 128 to bound memory.
        if (ErrorCounts.Count >= 128 && !ErrorCounts.ContainsKey(code)) return;
        ErrorCounts.AddOrUpdate(code, 1, static (_, v) => v + 1);
    }

    public void Reset()
    {
        TotalConnectionsReceived = TotalCommandsProcessed = RejectedConnections = 0;
        ExpiredKeys = EvictedKeys = KeyspaceHits = KeyspaceMisses = 0;
        TotalNetInputBytes = TotalNetOutputBytes = TotalErrorReplies = 0;
        ExpiredStalePercentTimes = ExpireCycleCpuMicros = UnexpectedErrorReplies = 0;
        ErrorCounts.Clear();
    }
}
