using System.Runtime.CompilerServices;
using Cinnabar.Types;

namespace Cinnabar.Storage;

/// <summary>
/// Where a key table keeps its keys and string values: records packed into large pages of our own size
/// classes, found by a 64-bit handle (page number, offset) instead of an object reference. The collector
/// sees one array per page, never one per key, and a write stores bytes, never a reference: so a young
/// collection has no entry to scan and no value to copy however many keys there are, and a freed record's
/// slot is reused by the next record of its class (a cache under eviction keeps its pages full).
///
/// Classes step by 8 bytes up to 128 (a 16-byte key with a 16-byte value is a 34-byte record: 40, not 48), by 16
/// up to 256, then by an eighth of each power of two (as jemalloc's do, so the rounding wastes at most 12.5%)
/// up to <see cref="MaxClassSize"/>. A class's pages double from a few slots up
/// to <see cref="MaxPageBytes"/> (a small database does not hold a large page per class). A record above the
/// largest class has a page of its own. A page whose last record goes is dropped (unless it is the one its
/// class allocates from), so memory comes back after deletes and expiry.
///
/// Pages are native memory (<see cref="NativeHeap"/>): the collector neither marks nor moves them, a dropped
/// page goes back to the system without waiting for a collection, and a slab dropped whole (FLUSHALL, a large
/// hash deleted) is given back by its finalizer off every lock, where a heap of managed pages needed a
/// compacting collection that stopped every thread (83-121 ms after a FLUSHALL of 10M keys).
/// </summary>
public sealed unsafe class RecordSlab
{
    public const int MaxClassSize = 64 * 1024;
    /// <summary>128 KB less malloc's 16-byte header, so a full page is mapped as exactly 32 system pages.</summary>
    private const int MaxPageBytes = 128 * 1024 - 16;
    private const int FirstPageSlots = 8;
    private const int LargeClass = -1;

    private static readonly int[] s_classSizes = BuildClassSizes();
    /// <summary>Class index for each size in 8-byte steps up to <see cref="MaxClassSize"/>.</summary>
    private static readonly byte[] s_classOfEighths = BuildClassLookup();

    private struct Page
    {
        public byte* Bytes;      // null for a page number not in use
        public int Length;
        public int Class;        // index into s_classSizes, or LargeClass
        public int SlotSize;
        public int Live;
        public int FreeHead;     // offset of the first freed slot, or -1
        public int Bump;         // offset of the first never-used slot
        public int PrevOpen, NextOpen; // the class's list of pages with room (0: none)
        public bool Open;
    }

    private Page[] _pages = new Page[8];   // page 0 is never used, so no handle is 0
    private int _pageCount = 1;
    private int _freePageNumbers = 0;      // chain through Page.NextOpen of pages with no bytes
    private readonly int[] _openHead = new int[s_classSizes.Length];
    private readonly int[] _nextPageBytes = new int[s_classSizes.Length];

    /// <summary>Σ slot sizes of the live records (what used_memory counts, as an allocator counts its size classes).</summary>
    public long LiveBytes { get; private set; }

    /// <summary>Σ page sizes: the live records plus free slots and never-used tails.</summary>
    public long PageBytes { get; private set; }

    public int RecordCount { get; private set; }

    /// <summary>Bytes of the slab's own object and arrays (its page table and class lists), its pages aside.</summary>
    public long OwnBytes =>
        HeapSize.Object(48) + HeapSize.Array(_pages.Length, 48) + 2 * HeapSize.Array(s_classSizes.Length, sizeof(int));

    /// <summary>Pages holding bytes now.</summary>
    public int PageCount { get; private set; }

    /// <summary>The slot size a record of <paramref name="size"/> bytes takes.</summary>
    public static int SlotSizeFor(int size) => size > MaxClassSize ? size : s_classSizes[ClassOf(size)];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ClassOf(int size) => s_classOfEighths[(size + 7) >> 3];

    /// <summary>A new record slot of at least <paramref name="size"/> bytes; returns its handle.</summary>
    public long Allocate(int size)
    {
        RecordCount++;
        if (size > MaxClassSize) return AllocateLarge(size);
        int cls = ClassOf(size);
        int pageNo = _openHead[cls];
        if (pageNo == 0) pageNo = NewPage(cls);
        ref Page page = ref _pages[pageNo];
        int offset;
        if (page.FreeHead >= 0)
        {
            offset = page.FreeHead;
            page.FreeHead = Unsafe.ReadUnaligned<int>(page.Bytes + offset);
        }
        else
        {
            offset = page.Bump;
            page.Bump += page.SlotSize;
        }
        page.Live++;
        LiveBytes += page.SlotSize;
        if (page.FreeHead < 0 && page.Bump + page.SlotSize > page.Length) CloseList(pageNo, ref page);
        return ((long)pageNo << 32) | (uint)offset;
    }

    private long AllocateLarge(int size)
    {
        int pageNo = TakePageNumber();
        ref Page page = ref _pages[pageNo];
        page.Bytes = (byte*)NativeHeap.Allocate(size);
        page.Length = size;
        page.Class = LargeClass;
        page.SlotSize = size;
        page.Live = 1;
        page.FreeHead = -1;
        page.Bump = size;
        page.Open = false;
        LiveBytes += size;
        PageBytes += size;
        PageCount++;
        return (long)pageNo << 32;
    }

    /// <summary>Frees the record of <paramref name="handle"/>; its bytes may be reused at once.</summary>
    public void Free(long handle)
    {
        RecordCount--;
        int pageNo = (int)(handle >> 32);
        int offset = (int)handle;
        ref Page page = ref _pages[pageNo];
        LiveBytes -= page.SlotSize;
        page.Live--;
        if (page.Class == LargeClass)
        {
            DropPage(pageNo, ref page);
            return;
        }
        if (page.Live == 0)
        {
            // An empty page goes unless it would be the only room left in its class.
            int head = _openHead[page.Class];
            bool onlyRoom = page.Open ? head == pageNo && page.NextOpen == 0 : head == 0;
            if (!onlyRoom)
            {
                if (page.Open) CloseList(pageNo, ref page);
                DropPage(pageNo, ref page);
                return;
            }
        }
        Unsafe.WriteUnaligned(page.Bytes + offset, page.FreeHead);
        page.FreeHead = offset;
        if (!page.Open) OpenList(pageNo, ref page);
    }

    /// <summary>The whole slot of a record (its bytes may go past the record's own length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Slot(long handle)
    {
        ref Page page = ref _pages[(int)(handle >> 32)];
        return new Span<byte>(page.Bytes + (int)handle, page.SlotSize);
    }

    /// <summary>The slot size of a record.</summary>
    public int SlotSize(long handle) => _pages[(int)(handle >> 32)].SlotSize;

    private int NewPage(int cls)
    {
        int slotSize = s_classSizes[cls];
        int bytes = _nextPageBytes[cls];
        if (bytes == 0) bytes = slotSize * FirstPageSlots;
        bytes = Math.Max(bytes, slotSize * 2);
        int slots = Math.Max(1, bytes / slotSize);
        int next = Math.Min(MaxPageBytes, bytes * 2);
        _nextPageBytes[cls] = Math.Max(next, _nextPageBytes[cls]);
        int pageNo = TakePageNumber();
        ref Page page = ref _pages[pageNo];
        page.Length = slots * slotSize;
        page.Bytes = (byte*)NativeHeap.Allocate(page.Length);
        page.Class = cls;
        page.SlotSize = slotSize;
        page.Live = 0;
        page.FreeHead = -1;
        page.Bump = 0;
        page.Open = false;
        PageBytes += page.Length;
        PageCount++;
        OpenList(pageNo, ref page);
        return pageNo;
    }

    private int TakePageNumber()
    {
        if (_freePageNumbers != 0)
        {
            int reused = _freePageNumbers;
            _freePageNumbers = _pages[reused].NextOpen;
            return reused;
        }
        if (_pageCount == _pages.Length) Array.Resize(ref _pages, _pages.Length * 2);
        return _pageCount++;
    }

    private void DropPage(int pageNo, ref Page page)
    {
        PageBytes -= page.Length;
        PageCount--;
        NativeHeap.FreeLater(page.Bytes, page.Length);
        page = default;
        page.NextOpen = _freePageNumbers;
        _freePageNumbers = pageNo;
    }

    /// <summary>Lets every page go (the owner is emptied or dropped); they are freed after <see cref="NativeHeap.FreeDelay"/>.</summary>
    public void Release()
    {
        ReleasePages();
        GC.SuppressFinalize(this);
    }

    ~RecordSlab() => ReleasePages();

    private void ReleasePages()
    {
        for (int i = 1; i < _pageCount; i++)
        {
            ref Page page = ref _pages[i];
            if (page.Bytes == null) continue;
            NativeHeap.FreeLater(page.Bytes, page.Length);
            page = default;
        }
        _pageCount = 1;
        _freePageNumbers = 0;
        Array.Clear(_openHead);
        LiveBytes = PageBytes = 0;
        PageCount = RecordCount = 0;
    }

    /// <summary>Puts a page with room at the head of its class's list (allocation prefers it).</summary>
    private void OpenList(int pageNo, ref Page page)
    {
        int cls = page.Class;
        page.Open = true;
        page.PrevOpen = 0;
        page.NextOpen = _openHead[cls];
        if (page.NextOpen != 0) _pages[page.NextOpen].PrevOpen = pageNo;
        _openHead[cls] = pageNo;
    }

    private void CloseList(int pageNo, ref Page page)
    {
        page.Open = false;
        if (page.PrevOpen != 0) _pages[page.PrevOpen].NextOpen = page.NextOpen;
        else _openHead[page.Class] = page.NextOpen;
        if (page.NextOpen != 0) _pages[page.NextOpen].PrevOpen = page.PrevOpen;
        page.PrevOpen = page.NextOpen = 0;
    }

    private static int[] BuildClassSizes()
    {
        var sizes = new List<int>();
        for (int s = 8; s <= 128; s += 8) sizes.Add(s);
        for (int s = 144; s <= 256; s += 16) sizes.Add(s);
        for (int pow = 256; pow < MaxClassSize; pow *= 2)
            for (int k = 1; k <= 8; k++) sizes.Add(pow + k * (pow / 8));
        return [.. sizes];
    }

    private static byte[] BuildClassLookup()
    {
        var lookup = new byte[MaxClassSize / 8 + 1];
        int cls = 0;
        for (int i = 0; i < lookup.Length; i++)
        {
            while (s_classSizes[cls] < i * 8) cls++;
            lookup[i] = (byte)cls;
        }
        return lookup;
    }
}
