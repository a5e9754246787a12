using System.Diagnostics;

namespace Cinnabar.Storage;

/// <summary>
/// Redis's active expiry cycle: each cron tick, sample 20 keys with a time to live in each database,
/// delete the expired ones, and repeat while more than 10% of a sample was expired, within a time budget
/// of 25% of the tick. Memory of expired keys comes back without anyone reading them.
/// </summary>
public sealed class ActiveExpiry
{
    private const int KeysPerLoop = 20;
    private const int AcceptableStalePercent = 10;
    private const int TimeBudgetPercent = 25;

    private readonly CinnabarServer _server;
    private readonly Random _random = new();
    private int _nextDb;

    public ActiveExpiry(CinnabarServer server) => _server = server;

    public void RunCycle()
    {
        var dbs = _server.Databases;
        long budgetTicks = Stopwatch.Frequency / Math.Max(1, _server.Config.Hz) * TimeBudgetPercent / 100;
        long start = Stopwatch.GetTimestamp();
        long deadline = start + budgetTicks;
        for (int n = 0; n < dbs.Length; n++)
        {
            var db = dbs[_nextDb];
            _nextDb = (_nextDb + 1) % dbs.Length;
            if (!ExpireSome(db, deadline))
            {
                _server.Stats.ExpiredStalePercentTimes++;
                break;
            }
        }
        _server.Stats.ExpireCycleCpuMicros += (Stopwatch.GetTimestamp() - start) * 1_000_000 / Stopwatch.Frequency;
    }

    /// <summary>Expires keys in one database; false when the time budget ran out.</summary>
    private bool ExpireSome(Database db, long deadline)
    {
        var table = db.Table;
        long now = _server.NowMs;
        while (table.VolatileCount > 0)
        {
            int sampled = 0, expired = 0;
            long ttlSum = 0;
            int samples = Math.Min(KeysPerLoop, table.VolatileCount);
            for (int i = 0; i < samples; i++)
            {
                var (slot, when) = table.RandomVolatile(_random);
                if (slot < 0) break;
                sampled++;
                if (when < now)
                {
                    db.ExpireSlot(slot);
                    expired++;
                }
                else ttlSum += when - now;
            }
            int alive = sampled - expired;
            if (alive > 0)
            {
                long avg = ttlSum / alive;
                db.AverageTtl = db.AverageTtl == 0 ? avg : (db.AverageTtl / 50 * 49) + (avg / 50);
            }
            if (Stopwatch.GetTimestamp() > deadline) return false;
            if (sampled == 0 || expired * 100 / sampled <= AcceptableStalePercent) break;
        }
        return true;
    }
}
