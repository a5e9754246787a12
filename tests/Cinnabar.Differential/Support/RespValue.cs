using System.Text;

namespace Cinnabar.Differential.Support;

/// <summary>
/// One reply as the server sent it: its exact bytes (<see cref="Raw"/>, compared byte for byte by default)
/// and a parsed tree (type byte, scalar payload, children) for the rules that compare by property.
/// </summary>
public sealed class RespValue
{
    /// <summary>Stands for "the server closed the connection instead of replying".</summary>
    public static readonly RespValue Closed = new('\0', Encoding.ASCII.GetBytes("<connection closed>"), [], []);

    public RespValue(char type, byte[] raw, byte[] payload, List<RespValue> children)
    {
        Type = type;
        Raw = raw;
        Payload = payload;
        Children = children;
    }

    /// <summary>The RESP type byte: + - : $ * % ~ > _ , # ( = !; '\0' for a closed connection.</summary>
    public char Type { get; }

    /// <summary>The exact bytes of the reply, header to last CRLF.</summary>
    public byte[] Raw { get; }

    /// <summary>Scalar content: the line of + - : _ , # (, the body of $ = !. Empty for aggregates and nulls.</summary>
    public byte[] Payload { get; }

    /// <summary>Elements of * ~ >; for % the keys and values alternating.</summary>
    public List<RespValue> Children { get; }

    public bool IsError => Type == '-' || Type == '!';
    public bool IsNull => Type == '_' || ((Type == '$' || Type == '*') && Raw.Length >= 3 && Raw[1] == '-');
    public bool IsAggregate => Type is '*' or '%' or '~' or '>';
    public string Text => Encoding.UTF8.GetString(Payload);

    public bool SameBytes(RespValue other) => Raw.AsSpan().SequenceEqual(other.Raw);

    /// <summary>The exact reply, escaped so CR, LF and binary bytes are visible on one line.</summary>
    public override string ToString() => Escape(Raw);

    /// <summary>The escaped reply, cut to about <paramref name="max"/> characters for failure messages.</summary>
    public string Show(int max = 600)
    {
        var text = ToString();
        return text.Length <= max ? text : text[..max] + $"… ({Raw.Length} bytes)";
    }

    public static string Escape(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length + 8);
        foreach (var b in bytes)
        {
            switch (b)
            {
                case (byte)'\r': sb.Append("\\r"); break;
                case (byte)'\n': sb.Append("\\n"); break;
                case (byte)'\\': sb.Append("\\\\"); break;
                case (byte)'"': sb.Append("\\\""); break;
                default:
                    if (b < 32 || b > 126) sb.Append("\\x").Append(b.ToString("x2"));
                    else sb.Append((char)b);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>A command in redis-cli quoting, readable by RespParser.SplitArgs (what case files use).</summary>
    public static string Quote(IReadOnlyList<byte[]> args)
    {
        var sb = new StringBuilder();
        foreach (var a in args)
        {
            if (sb.Length > 0) sb.Append(' ');
            bool plain = a.Length > 0 && a.All(b => b > 32 && b < 127 && b != '"' && b != '\'' && b != '\\');
            if (plain) sb.Append(Encoding.ASCII.GetString(a));
            else sb.Append('"').Append(Escape(a)).Append('"');
        }
        return sb.ToString();
    }
}
