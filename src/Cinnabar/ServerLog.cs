using System.Globalization;

namespace Cinnabar;

/// <summary>Log lines in redis-server's format: "pid:M 25 Nov 2026 17:44:16.123 * message".</summary>
public sealed class ServerLog
{
    private readonly TextWriter? _out;
    private readonly object _lock = new();

    public ServerLog(TextWriter? output) => _out = output;

    public static ServerLog Silent { get; } = new(null);

    public void Notice(string message) => Write('*', message);
    public void Warning(string message) => Write('#', message);
    public void Verbose(string message) => Write('-', message);

    private void Write(char level, string message)
    {
        if (_out == null) return;
        var now = DateTime.Now;
        string line = $"{Environment.ProcessId}:M {now.ToString("dd MMM yyyy HH:mm:ss.fff", CultureInfo.InvariantCulture)} {level} {message}";
        lock (_lock)
        {
            _out.WriteLine(line);
            _out.Flush();
        }
    }
}
