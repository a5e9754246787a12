using System.Text;
using Cinnabar.Storage;

namespace Cinnabar.PubSub;

/// <summary>
/// Publishes keyspace notifications (__keyspace@db__:key and __keyevent@db__:event) for one server, when
/// notify-keyspace-events enables their class. Per server, so servers sharing a process share nothing.
/// </summary>
public sealed class KeyspaceNotifier
{
    private readonly CinnabarServer _server;

    public KeyspaceNotifier(CinnabarServer server) => _server = server;

    /// <summary>Publishes the notification for an event of class <paramref name="type"/> when enabled.</summary>
    public void Notify(char type, string @event, Database db, ReadOnlySpan<byte> key)
    {
        var server = _server;
        int flags = server.Config.KeyspaceEventFlags;
        if (flags == 0 || (flags & KeyspaceEvents.ClassFlag(type)) == 0) return;
        var eventBytes = EventBytes(@event);
        if ((flags & KeyspaceEvents.Keyspace) != 0)
            server.PubSub.Publish(Channel("__keyspace@"u8, db.Index, key), eventBytes, null);
        if ((flags & KeyspaceEvents.Keyevent) != 0)
            server.PubSub.Publish(Channel("__keyevent@"u8, db.Index, eventBytes), key, null);
    }

    // Both used only with this server's store lock held, so one buffer and one cache serve its notifications.
    private byte[] _channelBuffer = new byte[256];
    private readonly Dictionary<string, byte[]> _eventNames = [];

    private byte[] EventBytes(string name)
    {
        if (!_eventNames.TryGetValue(name, out var bytes)) _eventNames[name] = bytes = Encoding.ASCII.GetBytes(name);
        return bytes;
    }

    /// <summary>"{prefix}{db}__:{suffix}" in a reused buffer (valid until the next call).</summary>
    private ReadOnlySpan<byte> Channel(ReadOnlySpan<byte> prefix, int db, ReadOnlySpan<byte> suffix)
    {
        int length = prefix.Length + 11 + 3 + suffix.Length;
        if (_channelBuffer.Length < length) _channelBuffer = new byte[Math.Max(length, _channelBuffer.Length * 2)];
        var buffer = _channelBuffer.AsSpan();
        prefix.CopyTo(buffer);
        int at = prefix.Length;
        db.TryFormat(buffer[at..], out int digits, default, System.Globalization.CultureInfo.InvariantCulture);
        at += digits;
        "__:"u8.CopyTo(buffer[at..]);
        at += 3;
        suffix.CopyTo(buffer[at..]);
        return buffer[..(at + suffix.Length)];
    }
}
