using System.Runtime.InteropServices;

namespace Lightning.IO;

/// <summary>
/// Makes a folder's entries durable, so a rename into it survives power loss: on Linux and macOS the folder is
/// opened and <c>fsync</c>ed. Windows cannot open a folder for syncing (NTFS journals the rename itself), so
/// there it does nothing.
/// </summary>
internal static class DirectorySync
{
    /// <summary>Syncs <paramref name="folder"/>'s entries to disk.</summary>
    /// <exception cref="IOException">The folder could not be opened or synced; the message has the system's reason.</exception>
    public static void Flush(string folder)
    {
        if (OperatingSystem.IsWindows()) return;
        var descriptor = Open(folder, 0);
        if (descriptor < 0) throw Failure("open", folder, Marshal.GetLastPInvokeError());
        try
        {
            // A file system that cannot sync folders (EINVAL, some network and FUSE ones) has nothing to make durable.
            if (Fsync(descriptor) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error != InvalidArgument) throw Failure("fsync", folder, error);
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    private const int InvalidArgument = 22;

    private static IOException Failure(string call, string folder, int error) =>
        new($"Syncing the folder '{folder}' to disk failed ({call}: {Marshal.GetPInvokeErrorMessage(error)}).");

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int descriptor);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int descriptor);
}
