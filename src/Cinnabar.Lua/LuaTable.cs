using System.Runtime.CompilerServices;

namespace Cinnabar.Lua;

/// <summary>
/// A Lua table laid out as Lua 5.1.5's ltable.c: an array part and a hash part of 2^k nodes with main
/// positions, collision chains and a free pointer that moves down; rehash sizes the array part the same way.
/// Keeping the same layout is what makes next/pairs order and the '#' border equal to the reference's.
/// </summary>
public sealed partial class LuaTable
{
    struct Node { public LuaValue Key; public LuaValue Val; public int Next; }

    static readonly Node[] Dummy = [new Node { Next = -1 }];
    const int MaxBits = 26;
    const int MaxASize = 1 << MaxBits;

    LuaValue[] _array = [];
    int _sizeArray;
    Node[] _node = Dummy;
    int _lsizeNode;
    int _lastFree;
    public LuaTable? Metatable;
    /// <summary>
    /// Redis's read-only tables (lua_enablereadonlytable): Lua code cannot store into it, rawset it, change its
    /// metatable or let a library function write it. The host still can.
    /// </summary>
    public bool ReadOnly;

    public const string ReadOnlyMessage = "Attempt to modify a readonly table";

    /// <summary>Redis's luaSetTableProtectionRecursively: this table, every table reachable from it and their metatables.</summary>
    public void ProtectRecursively()
    {
        if (ReadOnly) return;
        ReadOnly = true;
        var key = LuaValue.Nil;
        while (Next(ref key, out var value))
            value.AsTable?.ProtectRecursively();
        Metatable?.ProtectRecursively();
    }
    /// <summary>Metamethod absence cache (bit set = known absent), cleared on any write, as 5.1's flags.</summary>
    internal byte Flags;
    /// <summary>Hash strings as Redis's Lua does (every byte) instead of as 5.1.5 (set before the first key).</summary>
    internal bool RedisHash;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    uint StrHash(LuaString s) => RedisHash ? s.FullHash : s.Hash;

    /// <summary>Approximate bytes held, for the state's memory accounting.</summary>
    internal MemoryAccount? Account;

    public LuaTable() { }
    public LuaTable(int narray, int nhash)
    {
        if (narray > 0) SetArrayVector(narray);
        if (nhash > 0) SetNodeVector(nhash);
    }

    bool IsDummy => ReferenceEquals(_node, Dummy);

    /// <summary>
    /// The table is exactly what <c>new LuaTable(count, 0)</c> built, up to the values in its slots: an array
    /// part of <paramref name="count"/> slots, no hash part, no metatable. A host that overwrites every slot
    /// then holds a table no code can tell from a new one.
    /// </summary>
    public bool IsPlainArrayOf(int count) => _sizeArray == count && IsDummy && Metatable is null && !ReadOnly;
    int SizeNode => 1 << _lsizeNode;
    public int ArraySize => _sizeArray;

    // ---- hashing (main positions) ----
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    int HashMod(uint n) => (int)(n % (uint)((SizeNode - 1) | 1));

    int HashNum(double n)
    {
        if (n == 0) return 0;
        ulong bits = (ulong)BitConverter.DoubleToInt64Bits(n);
        uint a = unchecked((uint)bits + (uint)(bits >> 32));
        return HashMod(a);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    int MainPosition(in LuaValue key)
    {
        object? o = key.O;
        if (ReferenceEquals(o, LuaValue.NumberTag)) return HashNum(key.N);
        if (o is LuaString s) return (int)(StrHash(s) & (uint)(SizeNode - 1));
        if (ReferenceEquals(o, LuaValue.TrueTag)) return 1 & (SizeNode - 1);
        if (ReferenceEquals(o, LuaValue.FalseTag) || ReferenceEquals(o, LuaValue.NullUserdata)) return 0;
        return HashMod((uint)RuntimeHelpers.GetHashCode(o!));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool ArrayIndex(double n, out int k)
    {
        if (n >= int.MinValue && n <= int.MaxValue) { k = (int)n; return k == n; }
        k = 0; return false;
    }

    // ---- lookups ----
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public LuaValue GetInt(int key)
    {
        if ((uint)(key - 1) < (uint)_sizeArray) return _array[key - 1];
        return GetIntHash(key);
    }

    LuaValue GetIntHash(int key)
    {
        double nk = key;
        var node = _node;
        int i = HashNum(nk);
        do
        {
            ref Node n = ref node[i];
            if (ReferenceEquals(n.Key.O, LuaValue.NumberTag) && n.Key.N == nk) return n.Val;
            i = n.Next;
        } while (i >= 0);
        return default;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public LuaValue GetStr(LuaString key)
    {
        var node = _node;
        int i = (int)(StrHash(key) & (uint)(node.Length - 1));
        do
        {
            ref Node n = ref node[i];
            if (n.Key.O is LuaString ks && ks.ContentEquals(key)) return n.Val;
            i = n.Next;
        } while (i >= 0);
        return default;
    }

    public LuaValue Get(in LuaValue key)
    {
        object? o = key.O;
        if (o is LuaString s) return GetStr(s);
        if (ReferenceEquals(o, LuaValue.NumberTag))
        {
            if (ArrayIndex(key.N, out int k)) return GetInt(k);
            if (double.IsNaN(key.N)) return default;
        }
        else if (o is null) return default;
        int i = MainPosition(key);
        var node = _node;
        do
        {
            ref Node n = ref node[i];
            if (LuaValue.RawEquals(n.Key, key)) return n.Val;
            i = n.Next;
        } while (i >= 0);
        return default;
    }

    /// <summary>Index of the node holding key, or -1.</summary>
    int FindNode(in LuaValue key)
    {
        if (key.IsNil) return -1;
        if (key.IsNumber && double.IsNaN(key.N)) return -1;
        int i = MainPosition(key);
        var node = _node;
        do
        {
            if (LuaValue.RawEquals(node[i].Key, key)) return IsDummy ? -1 : i;
            i = node[i].Next;
        } while (i >= 0);
        return -1;
    }

    // ---- stores ----
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SetInt(int key, in LuaValue val)
    {
        Flags = 0;
        if ((uint)(key - 1) < (uint)_sizeArray) { _array[key - 1] = val; return; }
        var k = LuaValue.Number(key);
        int i = FindNode(k);
        if (i >= 0) { _node[i].Val = val; return; }
        if (val.IsNil) return;
        NewKey(k, val);
    }

    /// <summary>Exchanges t[i] and t[j] as two raw gets and two SetInt would (table.sort's swaps): in place in the array part.</summary>
    internal void SwapInts(int i, int j)
    {
        var a = _array;
        if ((uint)(i - 1) < (uint)_sizeArray && (uint)(j - 1) < (uint)_sizeArray)
        {
            Flags = 0;
            (a[i - 1], a[j - 1]) = (a[j - 1], a[i - 1]);
            return;
        }
        var v = GetInt(i);
        SetInt(i, GetInt(j));
        SetInt(j, v);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SetStr(LuaString key, in LuaValue val)
    {
        Flags = 0;
        var node = _node;
        int i = (int)(StrHash(key) & (uint)(node.Length - 1));
        do
        {
            ref Node n = ref node[i];
            if (n.Key.O is LuaString ks && ks.ContentEquals(key))
            {
                if (!IsDummy) { n.Val = val; return; }
                break;
            }
            i = n.Next;
        } while (i >= 0);
        if (val.IsNil) return;
        NewKey(new LuaValue(key), val);
    }

    /// <summary>Raw set; throws LuaException for nil/NaN keys (without position: callers add theirs).</summary>
    public void Set(in LuaValue key, in LuaValue val)
    {
        object? o = key.O;
        if (o is LuaString s) { SetStr(s, val); return; }
        if (ReferenceEquals(o, LuaValue.NumberTag))
        {
            if (ArrayIndex(key.N, out int k)) { SetInt(k, val); return; }
            if (double.IsNaN(key.N)) throw new LuaException("table index is NaN", addPosition: true);
        }
        else if (o is null) throw new LuaException("table index is nil", addPosition: true);
        Flags = 0;
        int i = FindNode(key);
        if (i >= 0) { _node[i].Val = val; return; }
        if (val.IsNil) return;
        NewKey(key, val);
    }

    int GetFreePos()
    {
        while (_lastFree-- > 0)
        {
            if (_node[_lastFree].Key.IsNil) return _lastFree;
        }
        _lastFree = 0;
        return -1;
    }

    // newkey of ltable.c: place key at its main position, moving a colliding node that is not in its own.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void NewKey(in LuaValue key, in LuaValue val)
    {
        int mp = MainPosition(key);
        if (!_node[mp].Val.IsNil || IsDummy)
        {
            int n = GetFreePos();
            if (n < 0)
            {
                Rehash(key);
                Set(key, val);
                return;
            }
            int othern = MainPosition(_node[mp].Key);
            if (othern != mp)
            {
                while (_node[othern].Next != mp) othern = _node[othern].Next;
                _node[othern].Next = n;
                _node[n] = _node[mp];
                _node[mp].Next = -1;
                _node[mp].Val = default;
            }
            else
            {
                _node[n].Next = _node[mp].Next;
                _node[mp].Next = n;
                mp = n;
            }
        }
        _node[mp].Key = key;
        _node[mp].Val = val;
    }

    // ---- rehash ----
    static int CeilLog2(uint x) { x--; return x == 0 ? 0 : 32 - System.Numerics.BitOperations.LeadingZeroCount(x); }

    static int ComputeSizes(Span<int> nums, ref int narray)
    {
        int a = 0, na = 0, n = 0;
        for (int i = 0, twotoi = 1; twotoi / 2 < narray; i++, twotoi *= 2)
        {
            if (nums[i] > 0)
            {
                a += nums[i];
                if (a > twotoi / 2) { n = twotoi; na = a; }
            }
            if (a == narray) break;
        }
        narray = n;
        return na;
    }

    static int CountInt(in LuaValue key, Span<int> nums)
    {
        if (key.IsNumber && ArrayIndex(key.N, out int k) && k > 0 && k <= MaxASize)
        {
            nums[CeilLog2((uint)k)]++;
            return 1;
        }
        return 0;
    }

    int NumUseArray(Span<int> nums)
    {
        int ause = 0, i = 1;
        for (int lg = 0, ttlg = 1; lg <= MaxBits; lg++, ttlg *= 2)
        {
            int lc = 0, lim = ttlg;
            if (lim > _sizeArray)
            {
                lim = _sizeArray;
                if (i > lim) break;
            }
            for (; i <= lim; i++) if (!_array[i - 1].IsNil) lc++;
            nums[lg] += lc;
            ause += lc;
        }
        return ause;
    }

    int NumUseHash(Span<int> nums, ref int nasize)
    {
        int total = 0, ause = 0;
        int i = SizeNode;
        while (i-- > 0)
        {
            if (!_node[i].Val.IsNil) { ause += CountInt(_node[i].Key, nums); total++; }
        }
        nasize += ause;
        return total;
    }

    void SetArrayVector(int size)
    {
        Account?.Charge((size - _sizeArray) * 16L);
        Array.Resize(ref _array, size);
        _sizeArray = size;
    }

    void SetNodeVector(int size)
    {
        if (size == 0) { _node = Dummy; _lsizeNode = 0; _lastFree = 0; return; }
        int lsize = CeilLog2((uint)size);
        if (lsize > MaxBits) throw new LuaException("table overflow", addPosition: true);
        size = 1 << lsize;
        Account?.Charge(size * 40L);
        var node = new Node[size];
        for (int i = 0; i < size; i++) node[i].Next = -1;
        _node = node;
        _lsizeNode = lsize;
        _lastFree = size;
    }

    void Resize(int nasize, int nhsize)
    {
        int oldasize = _sizeArray;
        var nold = _node;
        bool oldDummy = IsDummy;
        if (nasize > oldasize) SetArrayVector(nasize);
        SetNodeVector(nhsize);
        if (nasize < oldasize)
        {
            _sizeArray = nasize;
            for (int i = nasize; i < oldasize; i++)
                if (!_array[i].IsNil) SetInt(i + 1, _array[i]);
            Array.Resize(ref _array, nasize);
        }
        if (!oldDummy)
            for (int i = nold.Length - 1; i >= 0; i--)
                if (!nold[i].Val.IsNil) Set(nold[i].Key, nold[i].Val);
    }

    public void ResizeArray(int nasize) => Resize(nasize, IsDummy ? 0 : SizeNode);

    void Rehash(in LuaValue ek)
    {
        Span<int> nums = stackalloc int[MaxBits + 1];
        int nasize = NumUseArray(nums);
        int total = nasize;
        total += NumUseHash(nums, ref nasize);
        nasize += CountInt(ek, nums);
        total++;
        int na = ComputeSizes(nums, ref nasize);
        Resize(nasize, total - na);
    }

    // ---- traversal and length ----
    /// <summary>luaH_next: the key after `key` (nil starts); false at the end; throws on an unknown key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Next(ref LuaValue key, out LuaValue value)
    {
        int i = FindIndex(key);
        for (i++; i < _sizeArray; i++)
        {
            if (!_array[i].IsNil) { key = LuaValue.Number(i + 1); value = _array[i]; return true; }
        }
        var node = _node;
        if (!IsDummy)
            for (i -= _sizeArray; i < node.Length; i++)
            {
                if (!node[i].Val.IsNil) { key = node[i].Key; value = node[i].Val; return true; }
            }
        value = default;
        return false;
    }

    /// <summary>
    /// next's order by position (0 starts) for a host loop that does not change the table during the walk
    /// (cjson's encoder): no key lookup per step.
    /// </summary>
    internal bool NextAt(ref int position, out LuaValue key, out LuaValue value)
    {
        int i = position;
        for (; i < _sizeArray; i++)
        {
            if (!_array[i].IsNil) { key = LuaValue.Number(i + 1); value = _array[i]; position = i + 1; return true; }
        }
        var node = _node;
        if (!IsDummy)
            for (int j = i - _sizeArray; j < node.Length; j++)
            {
                if (!node[j].Val.IsNil) { key = node[j].Key; value = node[j].Val; position = _sizeArray + j + 1; return true; }
            }
        key = default;
        value = default;
        return false;
    }

    int FindIndex(in LuaValue key)
    {
        if (key.IsNil) return -1;
        if (key.IsNumber && ArrayIndex(key.N, out int k) && k > 0 && k <= _sizeArray) return k - 1;
        int i = key.IsNumber && double.IsNaN(key.N) ? -1 : MainPosition(key);
        if (i >= 0 && !IsDummy)
        {
            do
            {
                if (LuaValue.RawEquals(_node[i].Key, key)) return i + _sizeArray;
                i = _node[i].Next;
            } while (i >= 0);
        }
        throw new LuaException("invalid key to 'next'", addPosition: true);
    }

    /// <summary>luaH_getn: a border, found the way 5.1 finds it.</summary>
    public int Length
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        get
        {
            uint j = (uint)_sizeArray;
            if (j > 0 && _array[j - 1].IsNil)
            {
                uint i = 0;
                while (j - i > 1)
                {
                    uint m = (i + j) / 2;
                    if (_array[m - 1].IsNil) j = m; else i = m;
                }
                return (int)i;
            }
            if (IsDummy) return (int)j;
            return UnboundSearch(j);
        }
    }

    int UnboundSearch(uint j)
    {
        uint i = j;
        j++;
        while (!GetInt((int)j).IsNil)
        {
            i = j;
            j *= 2;
            if (j > int.MaxValue)
            {
                i = 1;
                while (!GetInt((int)i).IsNil) i++;
                return (int)(i - 1);
            }
        }
        while (j - i > 1)
        {
            uint m = (i + j) / 2;
            if (GetInt((int)m).IsNil) j = m; else i = m;
        }
        return (int)i;
    }

    /// <summary>Largest positive numeric key (table.maxn).</summary>
    public double MaxN()
    {
        double max = 0;
        var k = LuaValue.Nil;
        while (Next(ref k, out _)) if (k.IsNumber && k.N > max) max = k.N;
        return max;
    }

    internal long ApproximateBytes => 64 + _sizeArray * 16L + (IsDummy ? 0 : SizeNode * 40L);
}
