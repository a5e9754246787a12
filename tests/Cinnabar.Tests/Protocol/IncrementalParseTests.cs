using System.Text;
using Cinnabar.Protocol;

namespace Cinnabar.Tests.Protocol;

/// <summary>A command received in many pieces resumes where its parse stopped: linear in its size.</summary>
public class IncrementalParseTests
{
    private static byte[] Mset(int pairs)
    {
        var sb = new StringBuilder();
        sb.Append('*').Append(1 + 2 * pairs).Append("\r\n$4\r\nMSET\r\n");
        for (int i = 0; i < pairs; i++)
        {
            string k = "key:" + i, v = "value-" + i;
            sb.Append('$').Append(k.Length).Append("\r\n").Append(k).Append("\r\n");
            sb.Append('$').Append(v.Length).Append("\r\n").Append(v).Append("\r\n");
        }
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    [Fact]
    public void CommandInAThousandPiecesIsExaminedLessThanTwice()
    {
        var command = Mset(20_000);
        var buffer = new byte[command.Length];
        var args = new CommandArgs();
        var progress = new ParseProgress();
        int received = 0, calls = 0;
        var result = ParseResult.Incomplete;
        int consumed = 0;
        for (int piece = 1; piece <= 1000; piece++)
        {
            int upTo = (int)((long)command.Length * piece / 1000);
            Array.Copy(command, received, buffer, received, upTo - received);
            received = upTo;
            result = RespParser.TryParse(buffer, 0, received, args, true, long.MaxValue, ref progress, out consumed, out _, out _);
            calls++;
            if (result != ParseResult.Incomplete) break;
        }
        Assert.Equal(ParseResult.Command, result);
        Assert.Equal(1000, calls);
        Assert.Equal(command.Length, consumed);
        Assert.Equal(40_001, args.Count);
        Assert.Equal("key:19999", Encoding.ASCII.GetString(args[39_999]));
        Assert.Equal("value-19999", Encoding.ASCII.GetString(args[40_000]));
        Assert.True(progress.Examined < 2L * command.Length, $"examined {progress.Examined} bytes of a {command.Length}-byte command");
    }

    [Fact]
    public void ResumedParseFollowsTheBufferWhenItMoves()
    {
        var command = Mset(3);
        var args = new CommandArgs();
        var progress = new ParseProgress();
        // First half at offset 10 of one buffer, then the whole command at offset 0 of another (compaction + growth).
        var first = new byte[64];
        int half = command.Length / 2;
        Array.Copy(command, 0, first, 10, half);
        Assert.Equal(ParseResult.Incomplete, RespParser.TryParse(first, 10, 10 + half, args, true, long.MaxValue, ref progress, out _, out _, out _));
        var second = new byte[command.Length];
        Array.Copy(command, second, command.Length);
        Assert.Equal(ParseResult.Command, RespParser.TryParse(second, 0, command.Length, args, true, long.MaxValue, ref progress, out int consumed, out _, out _));
        Assert.Equal(command.Length, consumed);
        Assert.Equal(["MSET", "key:0", "value-0", "key:1", "value-1", "key:2", "value-2"],
            Enumerable.Range(0, args.Count).Select(i => Encoding.ASCII.GetString(args[i])).ToArray());
    }
}
