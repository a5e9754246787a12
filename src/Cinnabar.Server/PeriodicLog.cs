using Cinnabar;

namespace Cinnabar.Server;

/// <summary>
/// Redis's every-5-seconds cron lines: at verbose, the size of each non-empty database; at debug, the
/// client count and memory in use. The timer does nothing when the loglevel hides both.
/// </summary>
internal sealed class PeriodicLog : IDisposable
{
    private readonly CinnabarServer _server;
    private readonly Timer _timer;

    public PeriodicLog(CinnabarServer server)
    {
        _server = server;
        _timer = new Timer(_ => Write(), null, 5000, 5000);
    }

    private void Write()
    {
        var log = _server.Log;
        if (log.Enabled(1))
        {
            var lines = new List<string>();
            lock (_server.Gate)
            {
                foreach (var db in _server.Databases)
                    if (db.Count > 0 || db.VolatileCount > 0)
                        lines.Add($"DB {db.Index}: {db.Count} keys ({db.VolatileCount} volatile) in {db.Table.BucketCount} slots HT.");
            }
            foreach (var line in lines) log.Verbose(line);
        }
        if (log.Enabled(0))
            log.Debug($"{_server.ClientCount} clients connected (0 replicas), {GC.GetTotalMemory(false)} bytes in use");
    }

    public void Dispose() => _timer.Dispose();
}
