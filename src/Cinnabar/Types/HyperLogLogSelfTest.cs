using System.Buffers.Binary;

namespace Cinnabar.Types;

/// <summary>
/// PFSELFTEST, the checks Redis runs on its own HLL code: random register writes read back unchanged and
/// leave their neighbours alone; then ten million elements added to a dense and a sparse HLL give the same
/// estimate at every power of ten, within six standard errors, with the sparse encoding kept while small.
/// </summary>
public static class HyperLogLogSelfTest
{
    private const int Cycles = 1000;

    /// <summary>Null on success, else the TESTFAILED error text.</summary>
    public static string? Run(long sparseMaxBytes, Random random)
    {
        var dense = new byte[HyperLogLog.DenseSize];
        var registers = dense.AsSpan(HyperLogLog.HeaderSize);
        var expected = new byte[HyperLogLog.Registers];
        for (int cycle = 0; cycle < Cycles; cycle++)
        {
            for (int i = 0; i < HyperLogLog.Registers; i++)
            {
                int r = random.Next() & HyperLogLog.RegisterMax;
                expected[i] = (byte)r;
                HyperLogLog.SetDenseRegister(registers, i, r);
            }
            for (int i = 0; i < HyperLogLog.Registers; i++)
            {
                int value = HyperLogLog.GetDenseRegister(registers, i);
                if (value != expected[i]) return $"TESTFAILED Register {i} should be {expected[i]} but is {value}";
            }
        }

        registers.Clear();
        var hll = new RawString(HyperLogLog.CreateEmpty());
        double relativeError = 1.04 / Math.Sqrt(HyperLogLog.Registers);
        long checkpoint = 1;
        ulong seed = (ulong)random.NextInt64();
        Span<byte> element = stackalloc byte[8];
        for (long j = 1; j <= 10_000_000; j++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(element, (ulong)j ^ seed);
            int count = HyperLogLog.PatternLength(element, out int register);
            HyperLogLog.DenseSet(registers, register, count);
            if (HyperLogLog.IsDense(hll.Span)) HyperLogLog.DenseSet(hll.WritableSpan[HyperLogLog.HeaderSize..], register, count);
            else HyperLogLogSparse.Set(ref hll, register, count, sparseMaxBytes);
            if (j != checkpoint) continue;

            if (j < sparseMaxBytes / 2 && HyperLogLog.IsDense(hll.Span)) return "TESTFAILED sparse encoding not used";
            HyperLogLog.TryCount(dense, out ulong denseCount);
            HyperLogLog.TryCount(hll.Span, out ulong sparseCount);
            if (denseCount != sparseCount) return "TESTFAILED dense/sparse disagree";
            long absoluteError = Math.Abs(checkpoint - (long)denseCount);
            // At 10 a collision makes a large error statistically likely, so Redis allows only 1 there.
            long maxError = j == 10 ? 1 : (long)Math.Ceiling(relativeError * 6 * checkpoint);
            if (absoluteError > maxError) return $"TESTFAILED Too big error. card:{checkpoint} abserr:{absoluteError}";
            checkpoint *= 10;
        }
        return null;
    }
}
