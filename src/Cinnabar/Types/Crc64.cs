namespace Cinnabar.Types;

/// <summary>Redis's CRC-64 (Jones polynomial, reflected, initial value 0): the checksum of DUMP payloads and RDB files.</summary>
public static class Crc64
{
    private const ulong ReflectedPolynomial = 0x95AC9329AC4BC9B5;
    private static readonly ulong[] Table = BuildTable();

    private static ulong[] BuildTable()
    {
        var table = new ulong[256];
        for (int i = 0; i < 256; i++)
        {
            ulong crc = (ulong)i;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ ReflectedPolynomial : crc >> 1;
            table[i] = crc;
        }
        return table;
    }

    public static ulong Compute(ReadOnlySpan<byte> data, ulong crc = 0)
    {
        foreach (byte b in data) crc = Table[(byte)(crc ^ b)] ^ (crc >> 8);
        return crc;
    }
}
