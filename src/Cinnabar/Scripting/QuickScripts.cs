using System.Collections.Concurrent;
using System.Collections.Frozen;
using Cinnabar.Lua;
using Cinnabar.Types;

namespace Cinnabar.Scripting;

/// <summary>
/// The cached scripts whose running time is bounded like a command's: no loop, no function definition, and
/// only globals that cannot run code of the script's making (no load, loadstring, getfenv, _G). A connection
/// receiving on an I/O thread runs such an EVAL/EVALSHA there, as it runs any other command; any
/// other script first moves to a pool thread, so that a long one cannot keep the thread's other connections from
/// hearing -BUSY or SCRIPT KILL. Read without the store lock by the connections; written under it.
/// </summary>
public sealed class QuickScripts
{
    // The globals of Redis's EVAL environment a bounded script may name; every library function they hold
    // returns after work proportional to its arguments.
    private static readonly FrozenSet<string> BoundedGlobals = new[]
    {
        "redis", "KEYS", "ARGV", "tonumber", "tostring", "type", "math", "string", "table", "cjson", "cmsgpack",
        "bit", "struct", "unpack", "select", "error", "assert", "pcall", "next", "rawequal", "ipairs", "pairs",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<Sha1Key, byte> _shas = new();
    // The same scripts by text, so that EVAL is recognised by one lookup of its body rather than a SHA1 of it.
    private readonly ConcurrentDictionary<byte[], byte> _bodies = new(ByteContentComparer.Instance);

    /// <summary>Whether a chunk of this shape runs in time bounded by the library calls it makes.</summary>
    public static bool IsBounded(ChunkShape shape)
    {
        if (shape.HasLoops || shape.HasFunctions) return false;
        foreach (var name in shape.GlobalNames)
            if (!BoundedGlobals.Contains(name)) return false;
        return true;
    }

    public void Add(Sha1Key sha, byte[] body)
    {
        _shas[sha] = 0;
        _bodies[body] = 0;
    }

    public void Clear()
    {
        _shas.Clear();
        _bodies.Clear();
    }

    /// <summary>For EVALSHA: the 40 hex digits (either case) of a known bounded script.</summary>
    public bool ContainsHex(ReadOnlySpan<byte> hex) => Sha1Key.TryParseHex(hex, out var sha) && _shas.ContainsKey(sha);

    /// <summary>For EVAL: whether the body is a known bounded script.</summary>
    public bool ContainsBody(ReadOnlySpan<byte> body) =>
        !_bodies.IsEmpty && _bodies.GetAlternateLookup<ReadOnlySpan<byte>>().ContainsKey(body);
}
