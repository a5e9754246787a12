namespace Cinnabar.Tests.Integration;

/// <summary>
/// proto-max-bulk-len bounds string growth (SETRANGE, APPEND, SETBIT) and LCS's table. Replies checked on
/// redis-server 7.0.15 with CONFIG SET proto-max-bulk-len 1mb.
/// </summary>
public class StringSizeLimitTests
{
    [Fact]
    public void GrowthBeyondTheLimitIsRefused()
    {
        using var kit = new StringTestKit("--proto-max-bulk-len", "1mb");
        var text = new string('x', 600);
        kit.Call("+OK\r\n", "SET", "la", text);
        kit.Call("+OK\r\n", "SET", "lb", text);
        kit.Call("-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n", "LCS", "la", "lb", "LEN");
        kit.Call("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", "SETRANGE", "la", "1048576", "x");
        kit.Call(":1048576\r\n", "SETRANGE", "la", "1048575", "x");
        kit.Call("-ERR bit offset is not an integer or out of range\r\n", "SETBIT", "la", "8388608", "1");
        kit.Call(":0\r\n", "SETBIT", "la", "8388607", "1");
        kit.Call("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", "APPEND", "la", "x");
        kit.Call(":1048576\r\n", "STRLEN", "la");
    }
}
