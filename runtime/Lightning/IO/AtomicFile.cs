using System.Collections.Concurrent;
using System.Diagnostics;

namespace Lightning.IO;

/// <summary>
/// Writes files so a reader never sees half of one: the content goes to a temporary file in the same folder,
/// is flushed to disk, and then replaces the target by a rename, which is itself made durable by syncing the
/// folder. A crash leaves the old file intact. The temporary files a killed process left behind are removed the
/// first time this process writes into that folder. A target another program holds open (on Windows) is retried for a
/// moment, then <see cref="FileInUseException"/> says so.
/// </summary>
public static class AtomicFile
{
    private static readonly ConcurrentDictionary<string, bool> CleanedFolders = new(StringComparer.Ordinal);

    /// <summary>Writes what <paramref name="write"/> produces to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        if (CleanedFolders.TryAdd(folder, true)) RemoveStaleTemporaries(folder);
        AtomicReplace.Write(full, write, FileOperations.Replace);
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8, no byte-order mark) to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            writer.Write(text);
        });

    /// <summary>
    /// Removes the temporary files of writes into <paramref name="folder"/> whose process has ended. A live
    /// process's file may be a write in progress, so it stays; one this cannot remove stays too.
    /// </summary>
    internal static void RemoveStaleTemporaries(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, ".*.tmp"))
        {
            if (!AtomicReplace.IsTemporary(Path.GetFileName(file), out var pid) || IsRunning(pid)) continue;
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another process cleaning the same folder, or a file this user may not remove: leave it.
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
