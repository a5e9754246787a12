using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cinnabar.Differential.Support;

/// <summary>
/// The oracle: Debian's redis-server started on a loopback port with persistence off, stopped by its PID
/// (never by name: other redis-servers run on this machine). redis-server cannot listen on port 0, so it gets
/// a port the kernel just handed out; it is ready when the server answering there reports our process id
/// (another process may have taken the port first: redis-server then exits and another port is tried).
/// </summary>
public sealed class OracleServer : IDisposable
{
    private readonly Process _process;
    // The last lines redis-server printed (its crash report, a kill notice), for a failure that finds it gone.
    private readonly Queue<string> _outputTail = new();

    private OracleServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>The redis-server executable on PATH, or null.</summary>
    public static string? FindExecutable()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            var candidate = Path.Combine(dir, "redis-server");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <param name="extraArgs">More options, after the defaults (a later option wins: "--save", "--dir" …).</param>
    public static OracleServer Start(string executable, params string[] extraArgs)
    {
        for (int attempt = 0; ; attempt++)
        {
            int port = FreePort();
            var psi = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--enable-debug-command", "yes" })
                psi.ArgumentList.Add(a);
            foreach (var a in extraArgs) psi.ArgumentList.Add(a);
            var process = Process.Start(psi)!;
            var server = new OracleServer(process, port);
            process.OutputDataReceived += (_, e) => server.KeepLine(e.Data);
            process.ErrorDataReceived += (_, e) => server.KeepLine(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (server.WaitReady()) return server;
            server.Dispose();
            if (attempt >= 5) throw new InvalidOperationException($"redis-server did not start on port {port}");
        }
    }

    private void KeepLine(string? line)
    {
        if (line == null) return;
        lock (_outputTail)
        {
            _outputTail.Enqueue(line);
            if (_outputTail.Count > 40) _outputTail.Dequeue();
        }
    }

    /// <summary>Whether the oracle still runs, else its exit code, with the last lines it printed.</summary>
    public string Describe()
    {
        string state;
        try { state = _process.HasExited ? $"exited with code {_process.ExitCode}" : "running"; }
        catch (InvalidOperationException) { state = "not started"; }
        lock (_outputTail)
            return $"redis-server pid {Pid} on port {Port}: {state}; its last output:\n  " + string.Join("\n  ", _outputTail);
    }

    private bool WaitReady()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var c = new RespConnection(Port);
                if (c.Call("INFO", "server").Text.Contains($"\r\nprocess_id:{_process.Id}\r\n", StringComparison.Ordinal)) return true;
            }
            catch (Exception e) when (e is SocketException or IOException or TimeoutException or FormatException) { }
            Thread.Sleep(50);
        }
        return false;
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
