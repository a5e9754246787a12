using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Security.Cryptography;
using Cinnabar.Lua;

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

    /// <summary>Whether a chunk of this shape runs in time bounded by the library calls it makes.</summary>
    public static bool IsBounded(ChunkShape shape)
    {
        if (shape.HasLoops || shape.HasFunctions) return false;
        foreach (var name in shape.GlobalNames)
            if (!BoundedGlobals.Contains(name)) return false;
        return true;
    }

    public void Add(ReadOnlySpan<byte> sha1) => _shas[Sha1Key.From(sha1)] = 0;

    public void Clear() => _shas.Clear();

    /// <summary>For EVALSHA: the 40 hex digits (either case) of a known bounded script.</summary>
    public bool ContainsHex(ReadOnlySpan<byte> hex)
    {
        if (hex.Length != 40) return false;
        Span<byte> sha1 = stackalloc byte[20];
        for (int i = 0; i < 20; i++)
        {
            int high = HexValue(hex[2 * i]), low = HexValue(hex[2 * i + 1]);
            if ((high | low) < 0) return false;
            sha1[i] = (byte)(high << 4 | low);
        }
        return _shas.ContainsKey(Sha1Key.From(sha1));
    }

    /// <summary>For EVAL: whether the body is a known bounded script (one SHA1 of the body).</summary>
    public bool ContainsBody(ReadOnlySpan<byte> body)
    {
        if (_shas.IsEmpty) return false;
        Span<byte> sha1 = stackalloc byte[20];
        SHA1.HashData(body, sha1);
        return _shas.ContainsKey(Sha1Key.From(sha1));
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private readonly record struct Sha1Key(ulong A, ulong B, uint C)
    {
        public static Sha1Key From(ReadOnlySpan<byte> sha1) => new(
            BitConverter.ToUInt64(sha1), BitConverter.ToUInt64(sha1[8..]), BitConverter.ToUInt32(sha1[16..]));
    }
}
