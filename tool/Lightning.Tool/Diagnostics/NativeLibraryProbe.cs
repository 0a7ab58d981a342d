using System.Runtime.InteropServices;

namespace Lightning.Tool.Diagnostics;

/// <summary>
/// Loads a native library the way the runtime will, and returns the loader's own error text when it fails
/// (on Linux the <c>dlerror()</c> message, which names the missing symbol version or dependency).
/// </summary>
internal static class NativeLibraryProbe
{
    private const int RtldNow = 2;
    private const int RtldGlobal = 0x100;

    /// <summary>Loads <paramref name="path"/>; <see langword="null"/> on success, else why it failed.</summary>
    public static string? TryLoad(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            // The first call binds dlerror itself, which would clear the message dlopen leaves; bind it first.
            dlerror();
            if (dlopen(path, RtldNow | RtldGlobal) != IntPtr.Zero) return null;
            return Marshal.PtrToStringUTF8(dlerror()) ?? "unknown dynamic loader error";
        }
        try
        {
            NativeLibrary.Load(path);
            return null;
        }
        catch (DllNotFoundException e)
        {
            return e.Message;
        }
    }

    [DllImport("libdl.so.2", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern IntPtr dlopen([MarshalAs(UnmanagedType.LPUTF8Str)] string fileName, int flags);

    [DllImport("libdl.so.2")]
    private static extern IntPtr dlerror();
}
