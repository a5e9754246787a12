using System.Text;
using Cinnabar.Storage;
using Cinnabar.Types;

namespace Cinnabar.Tests.Unit;

public class RawStringTests
{
    [Fact]
    public void AppendGrowsGeometricallySoRepeatedAppendsAreCheap()
    {
        var s = new RawString("a"u8);
        int reallocations = 0, capacity = s.Capacity;
        for (int i = 0; i < 100_000; i++)
        {
            s.Append("xy"u8);
            if (s.Capacity != capacity) { reallocations++; capacity = s.Capacity; }
        }
        Assert.Equal(200_001, s.Length);
        Assert.True(reallocations < 25, $"{reallocations} reallocations");
        Assert.Equal("axyxy", Encoding.ASCII.GetString(s.Span[..5]));
    }

    [Fact]
    public void GrowZeroClearsBytesLeftInTheSpareArea()
    {
        var s = new RawString("abcdef"u8);
        s.Append("ghij"u8);
        s.GrowZero(3); // never shrinks
        Assert.Equal(10, s.Length);
        var shorter = new RawString("abc"u8, capacity: 16);
        shorter.GrowZero(6);
        Assert.Equal(new byte[] { (byte)'a', (byte)'b', (byte)'c', 0, 0, 0 }, shorter.ToArray());
    }

    [Fact]
    public void EncodingAndTypeNames()
    {
        Assert.Equal("string", ValueKind.TypeName(new RawString("1"u8)));
        Assert.Equal("raw", ValueKind.EncodingName(new RawString("1"u8)));
        var fromFloat = RawString.FloatResult("12"u8);
        Assert.Equal("embstr", ValueKind.EncodingName(fromFloat));
        fromFloat.Append("3"u8);
        Assert.Equal("raw", ValueKind.EncodingName(fromFloat));
        Assert.Equal("raw", ValueKind.EncodingName(RawString.FloatResult(new byte[45])));
        Assert.Equal("int", ValueKind.EncodingName("12"u8.ToArray()));
    }

    [Fact]
    public void CloneIsIndependent()
    {
        var s = new RawString("abc"u8);
        var copy = s.Clone();
        s.WritableSpan[0] = (byte)'z';
        Assert.Equal("abc", copy.ToString());
        Assert.Equal("zbc", s.ToString());
    }

    [Fact]
    public void StringValueReadsBothRepresentations()
    {
        Assert.True(StringValue.TryGetBytes("ab"u8.ToArray(), out var a));
        Assert.Equal(2, a.Length);
        Assert.True(StringValue.TryGetBytes(new RawString("abc"u8), out var b));
        Assert.Equal(3, b.Length);
        Assert.False(StringValue.TryGetBytes(null, out _));
        Assert.False(StringValue.TryGetBytes(new object(), out _));
    }
}
