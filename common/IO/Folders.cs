using System.Runtime.InteropServices;
using Lightning.Native;

namespace Lightning.IO;

/// <summary>
/// What <see cref="Directory"/> cannot do: make a folder's entries durable, so a rename into it survives power
/// loss, and create a folder only if no one else has, so two processes cannot both take it.
/// </summary>
internal static class Folders
{
    private const int InvalidArgument = 22; // EINVAL
    private const int AlreadyExistsUnix = 17; // EEXIST
    private const int AlreadyExistsWindows = 183; // ERROR_ALREADY_EXISTS

    /// <summary>
    /// Syncs <paramref name="folder"/>'s entries to disk: on Linux and macOS the folder is opened and
    /// <c>fsync</c>ed. Windows cannot open a folder for syncing (NTFS journals the rename itself), so there it
    /// does nothing, and so does a file system that cannot sync folders.
    /// </summary>
    /// <exception cref="IOException">The folder could not be opened or synced; the message has the system's reason.</exception>
    public static void Sync(string folder)
    {
        if (OperatingSystem.IsWindows()) return;
        var descriptor = LibC.Open(folder, 0);
        if (descriptor < 0) throw Failure("Syncing the folder", folder, "open", Marshal.GetLastPInvokeError());
        try
        {
            if (LibC.Fsync(descriptor) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error != InvalidArgument) throw Failure("Syncing the folder", folder, "fsync", error);
            }
        }
        finally
        {
            _ = LibC.Close(descriptor);
        }
    }

    /// <summary>
    /// Creates <paramref name="folder"/> (its parent must exist) and returns true, or returns false when it
    /// exists already, atomically: of several processes or threads creating the same folder, exactly one gets true.
    /// </summary>
    /// <exception cref="IOException">The folder could not be created for another reason, named in the message.</exception>
    public static bool TryCreateNew(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            if (Kernel32.CreateDirectory(folder, IntPtr.Zero)) return true;
            var error = Marshal.GetLastPInvokeError();
            return error == AlreadyExistsWindows ? false : throw Failure("Creating the folder", folder, "CreateDirectory", error);
        }
        if (LibC.Mkdir(folder, Convert.ToUInt32("777", 8)) == 0) return true;
        var unixError = Marshal.GetLastPInvokeError();
        return unixError == AlreadyExistsUnix ? false : throw Failure("Creating the folder", folder, "mkdir", unixError);
    }

    private static IOException Failure(string what, string folder, string call, int error) =>
        new($"{what} '{folder}' failed ({call}: {Marshal.GetPInvokeErrorMessage(error)}).");
}
