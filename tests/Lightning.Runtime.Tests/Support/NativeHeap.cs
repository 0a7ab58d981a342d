using System.Runtime.InteropServices;

namespace Lightning.Tests.Support;

/// <summary>
/// Bytes the C allocator has handed out and not had back, from glibc's <c>mallinfo2</c>. Unlike the resident set,
/// this does not count memory the allocator keeps in its free lists, so fragmentation does not look like a leak.
/// </summary>
internal static class NativeHeap
{
    [StructLayout(LayoutKind.Sequential)]
    private struct MallocInfo
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallocInfo MallInfo2();

    /// <summary>Bytes in use: ordinary chunks plus those the allocator mapped on their own.</summary>
    public static long BytesInUse()
    {
        var info = MallInfo2();
        return (long)(info.Uordblks + info.Hblkhd);
    }
}
