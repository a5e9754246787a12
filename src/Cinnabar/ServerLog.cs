using System.Globalization;

namespace Cinnabar;

/// <summary>
/// Log lines in redis-server's format: "pid:M 25 Nov 2026 17:44:16.123 * message", filtered by loglevel as
/// Redis does (debug '.', verbose '-', notice '*', warning '#': a line is written when its level is at least
/// the configured one).
/// </summary>
public sealed class ServerLog
{
    private readonly TextWriter? _out;
    private readonly Func<string>? _level;
    private readonly object _lock = new();

    /// <param name="output">Where lines go; null logs nothing.</param>
    /// <param name="level">Reads the current loglevel (so CONFIG SET loglevel applies at once); null logs every level.</param>
    public ServerLog(TextWriter? output, Func<string>? level = null)
    {
        _out = output;
        _level = level;
    }

    public static ServerLog Silent { get; } = new(null);

    /// <summary>The role letter after the pid: 'C' while the configuration is read, 'M' once the server runs.</summary>
    public char Role { get; set; } = 'M';

    public void Debug(string message) => Write(0, '.', message);
    public void Verbose(string message) => Write(1, '-', message);
    public void Notice(string message) => Write(2, '*', message);
    public void Warning(string message) => Write(3, '#', message);

    /// <summary>True when lines of this level are written (to skip building costly messages).</summary>
    public bool Enabled(int level) => _out != null && level >= Threshold();

    /// <summary>
    /// A line in the shape Redis's signal handler writes ("pid:signal-handler (unixtime) message"): it has no
    /// level letter and passes the filter at warning level.
    /// </summary>
    public void FromSignalHandler(string message)
    {
        if (!Enabled(3)) return;
        WriteLine($"{Environment.ProcessId}:signal-handler ({DateTimeOffset.UtcNow.ToUnixTimeSeconds()}) {message}");
    }

    private int Threshold() => _level?.Invoke() switch
    {
        "debug" => 0,
        "verbose" => 1,
        "warning" => 3,
        null => 0,
        _ => 2,
    };

    private void Write(int level, char mark, string message)
    {
        if (!Enabled(level)) return;
        var now = DateTime.Now;
        WriteLine($"{Environment.ProcessId}:{Role} {now.ToString("dd MMM yyyy HH:mm:ss.fff", CultureInfo.InvariantCulture)} {mark} {message}");
    }

    private void WriteLine(string line)
    {
        lock (_lock)
        {
            try
            {
                _out!.WriteLine(line);
                _out.Flush();
            }
            catch (IOException) { } // a full disk or a closed stdout must not take the server down
        }
    }
}
