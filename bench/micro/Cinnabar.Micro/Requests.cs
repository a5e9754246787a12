using System.Text;

namespace Cinnabar.Micro;

/// <summary>Requests as a client sends them (RESP multibulk), built once before the measured runs.</summary>
internal static class Requests
{
    public static byte[] Command(params string[] args) => Batch(_ => args, 1);

    /// <summary><paramref name="count"/> commands in one buffer (a pipeline); command i is <paramref name="command"/>(i).</summary>
    public static byte[] Batch(Func<int, string[]> command, int count)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            var args = command(i);
            sb.Append('*').Append(args.Length).Append("\r\n");
            foreach (var a in args) sb.Append('$').Append(Encoding.UTF8.GetByteCount(a)).Append("\r\n").Append(a).Append("\r\n");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
