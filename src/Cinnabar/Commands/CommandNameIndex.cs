using System.Text;

namespace Cinnabar.Commands;

/// <summary>
/// Finds a command by the raw bytes of its name, case-insensitively, with no conversion to chars: every
/// command a client sends goes through it. Open addressing over a power-of-two array twice the size of the
/// table, hashed over the ASCII-lowered bytes. Built once, read by any thread.
/// </summary>
internal sealed class CommandNameIndex
{
    private readonly byte[][] _names;
    private readonly CommandDef[] _defs;
    private readonly int _mask;

    public CommandNameIndex(IEnumerable<CommandDef> commands)
    {
        var all = commands.ToList();
        int size = 16;
        while (size < all.Count * 2) size <<= 1;
        _names = new byte[size][];
        _defs = new CommandDef[size];
        _mask = size - 1;
        foreach (var def in all)
        {
            var name = Encoding.ASCII.GetBytes(def.Name.ToLowerInvariant());
            int i = Hash(name) & _mask;
            while (_names[i] != null) i = (i + 1) & _mask;
            _names[i] = name;
            _defs[i] = def;
        }
    }

    public CommandDef? Find(ReadOnlySpan<byte> name)
    {
        for (int i = Hash(name) & _mask; ; i = (i + 1) & _mask)
        {
            var candidate = _names[i];
            if (candidate == null) return null;
            if (candidate.Length == name.Length && Ascii.EqualsIgnoreCase(candidate, name)) return _defs[i];
        }
    }

    // Case folds by setting bit 5: exact for letters, and the other bytes of a name only need a stable hash.
    private static int Hash(ReadOnlySpan<byte> name)
    {
        uint h = 2166136261;
        foreach (byte b in name) h = (h ^ (uint)(b | 0x20)) * 16777619;
        return (int)(h ^ (h >> 15));
    }
}
