using System.Runtime.InteropServices;

namespace Lightning.Native;

/// <summary>The Windows API functions the runtime calls.</summary>
internal static class Kernel32
{
    /// <summary><c>CreateDirectoryW</c>: true, or false with the error in <see cref="Marshal.GetLastPInvokeError"/>.</summary>
    [DllImport("kernel32", EntryPoint = "CreateDirectoryW", SetLastError = true, CharSet = CharSet.Unicode)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static extern bool CreateDirectory(string path, IntPtr securityAttributes);
}
