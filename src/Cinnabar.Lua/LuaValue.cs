using System.Runtime.CompilerServices;

namespace Cinnabar.Lua;

public enum LuaType { Nil = 0, Boolean = 1, LightUserData = 2, Number = 3, String = 4, Table = 5, Function = 6, Thread = 8 }

/// <summary>
/// A Lua value: 16 bytes, no allocation for nil, booleans and numbers. The reference field is either a
/// type tag (numbers, booleans) or the object itself (string, table, function, coroutine); default is nil.
/// </summary>
public readonly struct LuaValue
{
    internal readonly object? O;
    internal readonly double N;

    internal sealed class Tag { public readonly string Name; public Tag(string n) { Name = n; } }
    internal static readonly Tag NumberTag = new("number");
    internal static readonly Tag TrueTag = new("true");
    internal static readonly Tag FalseTag = new("false");
    /// <summary>The NULL light userdata (cjson.null); the only userdata scripts can meet.</summary>
    internal static readonly Tag NullUserdata = new("userdata");
    public static readonly LuaValue LightNull = new(NullUserdata, 0);

    public static readonly LuaValue Nil = default;
    public static readonly LuaValue True = new(TrueTag, 0);
    public static readonly LuaValue False = new(FalseTag, 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal LuaValue(object? o, double n) { O = o; N = n; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public LuaValue(double n) { O = NumberTag; N = n; }
    public LuaValue(LuaString s) { O = s; N = 0; }
    public LuaValue(LuaTable t) { O = t; N = 0; }
    public LuaValue(LuaFunction f) { O = f; N = 0; }
    public LuaValue(Coroutine c) { O = c; N = 0; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LuaValue Number(double n) => new(NumberTag, n);
    public static LuaValue Bool(bool b) => b ? True : False;
    public static LuaValue String(string s) => new(LuaString.From(s));
    public static LuaValue String(ReadOnlySpan<byte> s) => new(new LuaString(s.ToArray()));
    public static LuaValue String(byte[] s) => new(new LuaString(s));

    public static implicit operator LuaValue(double n) => new(NumberTag, n);
    public static implicit operator LuaValue(LuaString s) => new(s);
    public static implicit operator LuaValue(LuaTable t) => new(t);
    public static implicit operator LuaValue(LuaFunction f) => new(f);

    public bool IsNil { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => O is null; }
    public bool IsNumber { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => ReferenceEquals(O, NumberTag); }
    public bool IsString => O is LuaString;
    public bool IsTable => O is LuaTable;
    public bool IsFunction => O is LuaFunction;
    public bool IsBoolean => ReferenceEquals(O, TrueTag) || ReferenceEquals(O, FalseTag);
    public bool IsLightNull => ReferenceEquals(O, NullUserdata);
    /// <summary>Lua truth: everything but nil and false.</summary>
    public bool IsTruthy { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => O is not null && !ReferenceEquals(O, FalseTag); }
    public bool IsFalsy { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => O is null || ReferenceEquals(O, FalseTag); }

    public double AsNumber => N;
    public LuaString? AsString => O as LuaString;
    public LuaTable? AsTable => O as LuaTable;
    public LuaFunction? AsFunction => O as LuaFunction;
    public Coroutine? AsCoroutine => O as Coroutine;
    public object? RawObject => O;

    public LuaType Type
    {
        get
        {
            object? o = O;
            if (o is null) return LuaType.Nil;
            if (ReferenceEquals(o, NumberTag)) return LuaType.Number;
            if (ReferenceEquals(o, NullUserdata)) return LuaType.LightUserData;
            if (o is Tag) return LuaType.Boolean;
            if (o is LuaString) return LuaType.String;
            if (o is LuaTable) return LuaType.Table;
            if (o is LuaFunction) return LuaType.Function;
            return LuaType.Thread;
        }
    }

    public string TypeName => TypeNameOf(Type);

    public static string TypeNameOf(LuaType t) => t switch
    {
        LuaType.Nil => "nil", LuaType.Boolean => "boolean", LuaType.Number => "number", LuaType.String => "string",
        LuaType.Table => "table", LuaType.Function => "function", LuaType.LightUserData => "userdata", _ => "thread",
    };

    /// <summary>Raw equality (no metamethods).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool RawEquals(in LuaValue a, in LuaValue b)
    {
        if (ReferenceEquals(a.O, b.O)) return !ReferenceEquals(a.O, NumberTag) || a.N == b.N;
        return a.O is LuaString sa && b.O is LuaString sb && sa.ContentEquals(sb);
    }

    /// <summary>Number coercion as 5.1 does for arithmetic: numbers, and strings that read as numbers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryToNumber(out double d)
    {
        if (ReferenceEquals(O, NumberTag)) { d = N; return true; }
        if (O is LuaString s) return NumberFormat.TryParse(s.Bytes, out d);
        d = 0; return false;
    }

    public override string ToString() => O switch
    {
        null => "nil",
        Tag t when ReferenceEquals(t, NumberTag) => NumberFormat.Format(N),
        Tag t => t.Name,
        LuaString s => s.ToString(),
        _ => TypeName,
    };
}
