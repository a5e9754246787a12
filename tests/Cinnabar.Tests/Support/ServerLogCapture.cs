namespace Cinnabar.Tests.Support;

/// <summary>Collects a server's log lines in memory (written from any thread).</summary>
public sealed class ServerLogCapture
{
    private readonly StringWriter _text = new();
    // Its methods lock the wrapper itself, so reading under the same lock sees whole lines.
    private readonly TextWriter _sync;

    public ServerLogCapture()
    {
        _sync = TextWriter.Synchronized(_text);
        Log = new ServerLog(_sync, () => "debug");
    }

    public ServerLog Log { get; }

    public string Text
    {
        get { lock (_sync) return _text.ToString(); }
    }

    public bool Contains(string fragment) => Text.Contains(fragment, StringComparison.Ordinal);
}
